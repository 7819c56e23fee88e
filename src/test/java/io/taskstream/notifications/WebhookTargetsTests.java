package io.taskstream.notifications;

import java.net.InetAddress;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTargetsTests {

	final WebhookTargets targets = new WebhookTargets(false, Set.of(80, 443));

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/hook", "http://localhost/hook", "http://10.1.2.3/hook",
			"http://192.168.0.10/hook", "http://172.16.5.4/hook", "http://169.254.169.254/latest/meta-data",
			"http://[::1]/hook", "http://[fd00::1]/hook", "http://0.0.0.0/hook" })
	void internalAddressesAreRefused(String url) {
		assertThat(this.targets.refusal(url)).contains("loopback, private, link-local");
	}

	/** One address inside each IANA special-purpose range, IPv4 and IPv6. */
	@ParameterizedTest
	@ValueSource(strings = { "0.1.2.3", "10.255.0.1", "100.64.0.1", "100.100.100.200", "100.127.255.254", "127.0.0.2",
			"169.254.169.254", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.31.196.1", "192.52.193.1",
			"192.88.99.1", "192.168.255.1", "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7",
			"203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "::127.0.0.1",
			"::a9fe:a9fe", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
			"64:ff9b::808:808", "64:ff9b:1::1", "100::1", "2001::1", "2001:0:4136:e378::1", "2001:2::1", "2001:10::1",
			"2001:db8::1", "2002:7f00:1::", "2002:a00:1::1", "2002:808:808::1", "3fff::1", "5f00::1", "fc00::1",
			"fdff:ffff::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1" })
	void everySpecialPurposeRangeIsRefused(String address) throws Exception {
		assertThat(WebhookTargets.isSpecialPurpose(InetAddress.getByName(address))).as(address).isTrue();
		String host = address.contains(":") ? "[" + address + "]" : address;
		assertThat(this.targets.refusal("https://" + host + "/hook")).as(address).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
			"198.17.255.255", "198.20.0.1", "2606:4700::1111", "2a00:1450:4001::200e", "2001:4860:4860::8888" })
	void publicAddressesAreAllowed(String address) throws Exception {
		assertThat(WebhookTargets.isSpecialPurpose(InetAddress.getByName(address))).as(address).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://93.184.216.34/hook", "file:///etc/passwd", "javascript:alert(1)", "not a url",
			"http://user:pass@93.184.216.34/" })
	void otherSchemesAndMalformedUrlsAreRefused(String url) {
		assertThat(this.targets.refusal(url)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://93.184.216.34:8080/hook", "https://93.184.216.34:22/",
			"http://93.184.216.34:6379/", "https://93.184.216.34:80443/" })
	void onlyTheAllowedPortsAreAccepted(String url) {
		assertThat(this.targets.refusal(url)).isNotNull();
	}

	@Test
	void thePortsAreConfigurable() {
		assertThat(new WebhookTargets(false, Set.of(8443)).refusal("https://93.184.216.34:8443/hook")).isNull();
		assertThat(new WebhookTargets(false, Set.of(8443)).refusal("https://93.184.216.34/hook")).contains("ports");
	}

	@Test
	void aPublicAddressIsAllowedAndItsCheckedAddressIsKept() {
		WebhookTargets.Target target = this.targets.check("https://93.184.216.34/hook");
		assertThat(target.refusal()).isNull();
		assertThat(target.host()).isEqualTo("93.184.216.34");
		assertThat(target.addresses()).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
		assertThat(this.targets.refusal("http://93.184.216.34:80/hook")).isNull();
	}

	@Test
	void anIpv6LiteralIsResolvedWithoutItsBrackets() {
		WebhookTargets.Target target = this.targets.check("https://[2606:4700::1111]/hook");
		assertThat(target.refusal()).isNull();
		assertThat(target.host()).isEqualTo("2606:4700::1111");
	}

	@Test
	void configurationCanAllowPrivateTargetsOnAnyPort() {
		WebhookTargets open = new WebhookTargets(true, Set.of(80, 443));
		assertThat(open.refusal("http://127.0.0.1:9999/hook")).isNull();
		assertThat(open.refusal("ftp://127.0.0.1/hook")).isNotNull();
	}

}
