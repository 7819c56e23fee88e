package io.taskstream.notifications;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTargetsTests {

	final WebhookTargets targets = new WebhookTargets(false);

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
			"http://192.168.0.10/hook", "http://172.16.5.4/hook", "http://169.254.169.254/latest/meta-data",
			"http://[::1]/hook", "http://[fd00::1]/hook", "http://0.0.0.0/hook" })
	void internalAddressesAreRefused(String url) {
		assertThat(this.targets.refusal(url)).contains("loopback, private or link-local");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://93.184.216.34/hook", "file:///etc/passwd", "javascript:alert(1)", "not a url",
			"http://user:pass@93.184.216.34/" })
	void otherSchemesAndMalformedUrlsAreRefused(String url) {
		assertThat(this.targets.refusal(url)).isNotNull();
	}

	@Test
	void aPublicAddressIsAllowed() {
		assertThat(this.targets.refusal("https://93.184.216.34/hook")).isNull();
	}

	@Test
	void configurationCanAllowPrivateTargets() {
		assertThat(new WebhookTargets(true).refusal("http://127.0.0.1:9999/hook")).isNull();
		assertThat(new WebhookTargets(true).refusal("ftp://127.0.0.1/hook")).isNotNull();
	}

}
