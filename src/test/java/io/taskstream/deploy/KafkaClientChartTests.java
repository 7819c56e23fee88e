package io.taskstream.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the sidecars connect to Kafka: TLS with the brokers' CA (a private one from a
 * Secret), certificates always verified, and the producer settings pinned the same in the
 * chart and in {@code components/}.
 */
class KafkaClientChartTests {

	static Stream<String> valuesFiles() {
		return Chart.VALUES_FILES.stream();
	}

	@Test
	void passwordModeTrustsTheBrokersPrivateCaFromASecret() {
		Map<String, JsonNode> metadata = componentMetadata(Chart.render("values-gke.yaml"));
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("password");
		assertThat(metadata.get("caCert").has("value")).isFalse();
		assertThat(metadata.get("caCert").at("/secretKeyRef/name").asString()).isEqualTo("kafka-cluster-ca-cert");
		assertThat(metadata.get("caCert").at("/secretKeyRef/key").asString()).isEqualTo("ca.crt");
		assertThat(metadata.get("disableTls").path("value").asString()).isEqualTo("false");
		assertThat(metadata.get("skipVerify").path("value").asString()).isEqualTo("false");

		// Event Hubs and MSK present public certificates: the system's trust store
		assertThat(componentMetadata(Chart.render("values-aks.yaml"))).doesNotContainKey("caCert");
		assertThat(componentMetadata(Chart.render("values-eks.yaml"))).doesNotContainKey("caCert");
		Map<String, JsonNode> privateMsk = componentMetadata(Chart.render("values-eks.yaml", "--set",
				"kafka.caCert.existingSecret=msk-ca", "--set", "kafka.caCert.key=root.pem"));
		assertThat(privateMsk.get("caCert").at("/secretKeyRef/name").asString()).isEqualTo("msk-ca");
		assertThat(privateMsk.get("caCert").at("/secretKeyRef/key").asString()).isEqualTo("root.pem");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void theBrokersCertificatesAreAlwaysVerifiedAndTheProducerSettingsPinned(String valuesFile) {
		Map<String, JsonNode> metadata = componentMetadata(Chart.render(valuesFile));
		assertThat(metadata.get("skipVerify").path("value").asString()).isEqualTo("false");
		assertThat(metadata.get("producerRequiredAcks").path("value").asString()).isEqualTo("all");
		assertThat(metadata.get("producerRetryMax").path("value").asString()).isEqualTo("5");
	}

	@Test
	void theLocalStackPinsTheSameProducerSettings() {
		Map<String, JsonNode> local = componentMetadata(Manifests.documents(Path.of("components")));
		Map<String, JsonNode> chart = componentMetadata(Chart.render("values-eks.yaml"));
		for (String name : List.of("skipVerify", "producerRequiredAcks", "producerRetryMax")) {
			assertThat(local.get(name)).as(name).isNotNull().isEqualTo(chart.get(name));
		}
	}

	@Test
	void noValueTurnsCertificateVerificationOff() {
		for (String attempt : List.of("kafka.skipVerify=true", "kafka.auth.skipVerify=true",
				"kafka.caCert.skipVerify=true")) {
			assertThat(Chart.template("values-gke.yaml", "--set", attempt).errors()).as(attempt)
				.contains("not allowed");
		}
	}

	@Test
	void tlsSettingsThatCannotWorkFailWithAClearMessage() {
		// authType none makes the component connect in plaintext whatever disableTls says
		assertThat(Chart.template("values-dev.yaml", "--set", "kafka.tls=true").errors())
			.contains("kafka.tls=true needs kafka.auth.type awsiam, password or mtls");
		assertThat(Chart.template("values-gke.yaml", "--set", "kafka.tls=false").errors())
			.contains("kafka.caCert is the brokers' CA for TLS");
		assertThat(Chart
			.template("values-gke.yaml", "--set", "kafka.auth.type=mtls", "--set",
					"kafka.auth.existingSecret=taskstream-kafka-tls", "--set", "kafka.auth.perAppUsers=false")
			.errors()).contains("mtls takes it from kafka.auth.existingSecret");
		assertThat(Chart.template("values-gke.yaml", "--set", "kafka.caCert.key=").errors())
			.contains("/kafka/caCert/key");
		assertThat(
				Chart.template("values-gke.yaml", "--set", "kafka.tls=false", "--set", "kafka.caCert.existingSecret=")
					.exitCode())
			.isZero();
	}

}
