package io.taskstream.notifications;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Which URLs a webhook may point at: http(s) only, and, unless configuration allows it
 * (tests, a private deployment), no loopback, private, link-local or otherwise internal
 * address, so a user cannot make the service call its own network (SSRF). The check runs
 * at registration and again before every delivery (DNS may change).
 */
final class WebhookTargets {

	private final boolean allowPrivate;

	WebhookTargets(boolean allowPrivate) {
		this.allowPrivate = allowPrivate;
	}

	/**
	 * @return why the URL is refused, or {@code null} if it may be called
	 */
	String refusal(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return "is not a URL";
		}
		if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
			return "must be an http or https URL";
		}
		if (uri.getHost() == null || uri.getUserInfo() != null) {
			return "must name a host and no user info";
		}
		if (this.allowPrivate) {
			return null;
		}
		try {
			for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
				if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
						|| address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocal(address)) {
					return "must not point at a loopback, private or link-local address";
				}
			}
		}
		catch (UnknownHostException ex) {
			return "names a host that does not resolve";
		}
		return null;
	}

	private static boolean isUniqueLocal(InetAddress address) {
		byte[] bytes = address.getAddress();
		return bytes.length == 16 && (bytes[0] & 0xFE) == 0xFC;
	}

}
