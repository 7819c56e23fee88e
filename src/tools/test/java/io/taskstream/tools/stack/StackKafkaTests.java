package io.taskstream.tools.stack;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StackKafkaTests {

	@Test
	void aSingleNodeBrokerOnLoopbackThatCreatesNoTopicByItself() {
		Properties properties = StackKafka.serverProperties(StackPorts.forBench(), Path.of("/data"));
		assertThat(properties.getProperty("listeners"))
			.isEqualTo("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093");
		assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:29093");
		assertThat(properties.getProperty("log.dirs")).isEqualTo("/data");
		assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
		assertThat(properties.getProperty("num.partitions")).isEqualTo("4");
		assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
	}

}
