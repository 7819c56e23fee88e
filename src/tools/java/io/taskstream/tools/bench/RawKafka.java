package io.taskstream.tools.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The baselines: Kafka's own client against the stack's broker, with a real event. */
final class RawKafka {

	private final int port;

	private final byte[] payload;

	RawKafka(int port, String payload) {
		this.port = port;
		this.payload = payload.getBytes(StandardCharsets.UTF_8);
	}

	KafkaProducer<byte[], byte[]> producer(int lingerMs) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.port);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-" + lingerMs);
		return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
	}

	/** Keyed like the real events: the task id (here a spread of ids). */
	ProducerRecord<byte[], byte[]> record(String topic, long i) {
		return new ProducerRecord<>(topic, Long.toString(i % 10_000).getBytes(StandardCharsets.UTF_8), this.payload);
	}

	/** One thread sending as fast as the producer takes them. */
	Measured async(KafkaProducer<byte[], byte[]> producer, double seconds) {
		Recorder recorder = new Recorder(20_000_000);
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		long i = 0;
		while (System.nanoTime() < end) {
			long sent = System.nanoTime();
			producer.send(record("bench.raw", i++), (metadata, error) -> {
				if (error == null) {
					recorder.record(System.nanoTime() - sent);
				}
				else {
					recorder.failed();
				}
			});
		}
		producer.flush();
		return Measured.of(recorder, (System.nanoTime() - start) / 1e9);
	}

	/**
	 * Kafka's EndToEndLatency: send one record (acks=all), poll until it arrives, again.
	 */
	Measured endToEnd(double seconds) throws Exception {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.port);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0");
		TopicPartition partition = new TopicPartition("bench.e2e", 0);
		Recorder recorder = new Recorder(1_000_000);
		try (KafkaProducer<byte[], byte[]> producer = producer(0);
				KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
						new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToEnd(List.of(partition));
			consumer.position(partition);
			long start = System.nanoTime();
			long end = start + (long) (seconds * 1e9);
			while (System.nanoTime() < end) {
				long sent = System.nanoTime();
				producer.send(new ProducerRecord<>("bench.e2e", this.payload)).get();
				int received = 0;
				while (received == 0) {
					ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
					received = records.count();
					if (received == 0 && System.nanoTime() - sent > 10_000_000_000L) {
						throw new IllegalStateException("a record sent to bench.e2e did not arrive in 10 s");
					}
				}
				recorder.record(System.nanoTime() - sent);
			}
			return new Measured((System.nanoTime() - start) / 1e9, recorder.count(), 0, recorder.latencies(), null);
		}
	}

}
