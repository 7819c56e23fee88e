package io.taskstream.notifications;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one webhook call to exactly the addresses {@link WebhookTargets} checked: the
 * client's resolver answers the checked host with those addresses and nothing else, while
 * the URL keeps its host name, so the {@code Host} header, TLS SNI and certificate check
 * stay those of the name. No redirects are followed (a receiver could otherwise point us
 * at an internal address), no retries (the dispatcher owns retrying), no proxy.
 * <p>
 * Apache HttpClient rather than {@code java.net.http}: the JDK client has no per-client
 * resolver, and connecting to an IP literal would lose SNI and hostname verification.
 */
final class WebhookSender {

	private final Duration timeout;

	WebhookSender(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * @return the receiver's status code
	 * @throws IOException when the receiver cannot be reached or does not answer in time
	 */
	int post(WebhookTargets.Target target, Map<String, String> headers, String body) throws IOException {
		DnsResolver pinned = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				if (!host.equalsIgnoreCase(target.host())) {
					throw new UnknownHostException(host + " was not checked");
				}
				return target.addresses().clone();
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}
		};
		Timeout limit = Timeout.of(this.timeout);
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(pinned)
			.setDefaultConnectionConfig(
					ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
			.build();
		try (CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
			.build()) {
			HttpPost post = new HttpPost(target.uri());
			headers.forEach(post::setHeader);
			post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
			return client.execute(post, (response) -> response.getCode());
		}
	}

}
