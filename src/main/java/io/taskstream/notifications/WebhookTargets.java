package io.taskstream.notifications;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs a webhook may point at: http(s) only, to an allowed port (80 and 443 by
 * default), and never to an address in an IANA special-purpose range (loopback, private,
 * carrier-grade NAT, benchmarking, documentation, link-local, multicast, and the IPv6
 * forms that embed or translate IPv4: IPv4-compatible, 6to4, NAT64, Teredo), so a user
 * cannot make the service call its own network (SSRF). Unless configuration allows
 * private targets (tests, a private deployment), which lifts the address and port rules.
 * <p>
 * The check runs at registration and again before every delivery, and it returns the
 * addresses it checked: the dispatcher connects to exactly those ({@link Target}), so a
 * name that resolves to a public address at the check and a private one a moment later
 * (DNS rebinding) gains nothing.
 */
final class WebhookTargets {

	/** IPv4 special-purpose ranges (IANA), refused whole. */
	private static final List<Cidr> IPV4_REFUSED = Cidr.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
			"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
			"192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
			"224.0.0.0/4", "240.0.0.0/4");

	/**
	 * IPv6 special-purpose ranges (IANA), refused whole; the forms that reach IPv4
	 * (IPv4-compatible {@code ::/96}, NAT64, 6to4, Teredo and the rest of 2001::/23) are
	 * refused rather than decoded, since no webhook receiver needs them. IPv4-mapped
	 * addresses arrive here as IPv4 (the JDK unwraps them).
	 */
	private static final List<Cidr> IPV6_REFUSED = Cidr.all("::/96", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48",
			"100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
			"fec0::/10", "ff00::/8");

	private final boolean allowPrivate;

	private final Set<Integer> allowedPorts;

	WebhookTargets(boolean allowPrivate, Set<Integer> allowedPorts) {
		this.allowPrivate = allowPrivate;
		this.allowedPorts = Set.copyOf(allowedPorts);
	}

	/**
	 * @return why the URL is refused, or {@code null} if it may be called
	 */
	String refusal(String url) {
		return check(url).refusal();
	}

	/** Resolves the URL's host once and checks every address it resolves to. */
	Target check(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return Target.refused("is not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return Target.refused("must be an http or https URL");
		}
		if (uri.getHost() == null || uri.getUserInfo() != null) {
			return Target.refused("must name a host and no user info");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
		if (!this.allowPrivate && !this.allowedPorts.contains(port)) {
			return Target.refused("must use one of the ports " + this.allowedPorts.stream().sorted().toList());
		}
		String host = hostOf(uri);
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			return Target.refused("names a host that does not resolve");
		}
		if (!this.allowPrivate) {
			for (InetAddress address : addresses) {
				if (isSpecialPurpose(address)) {
					return Target.refused(
							"must not point at a loopback, private, link-local or other " + "special-purpose address");
				}
			}
		}
		return new Target(null, uri, host, addresses);
	}

	/** Whether the address lies in a range no webhook may reach. */
	static boolean isSpecialPurpose(InetAddress address) {
		List<Cidr> ranges = (address instanceof Inet4Address) ? IPV4_REFUSED : IPV6_REFUSED;
		return ranges.stream().anyMatch((range) -> range.contains(address));
	}

	/** The host as the resolver wants it: an IPv6 literal without its brackets. */
	static String hostOf(URI uri) {
		String host = uri.getHost();
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * A checked URL and the addresses its host resolved to at the check: connect to
	 * these, never resolve the host again.
	 *
	 * @param refusal why the URL may not be called, or {@code null}
	 */
	record Target(String refusal, URI uri, String host, InetAddress[] addresses) {

		static Target refused(String refusal) {
			return new Target(refusal, null, null, new InetAddress[0]);
		}

	}

	/** An address prefix, IPv4 or IPv6. */
	private record Cidr(byte[] network, int bits) {

		static List<Cidr> all(String... ranges) {
			return java.util.Arrays.stream(ranges).map(Cidr::parse).toList();
		}

		static Cidr parse(String range) {
			int slash = range.indexOf('/');
			try {
				// literals only: getByName does not resolve them
				InetAddress network = InetAddress.getByName(range.substring(0, slash));
				byte[] bytes = network.getAddress();
				if (range.contains(":") && bytes.length == 4) {
					// ::ffff:0:0 is unwrapped to IPv4 by the JDK; keep the IPv6 form
					bytes = mapped(bytes);
				}
				return new Cidr(bytes, Integer.parseInt(range.substring(slash + 1)));
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(range, ex);
			}
		}

		private static byte[] mapped(byte[] ipv4) {
			byte[] bytes = new byte[16];
			bytes[10] = (byte) 0xFF;
			bytes[11] = (byte) 0xFF;
			System.arraycopy(ipv4, 0, bytes, 12, 4);
			return bytes;
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			for (int bit = 0; bit < this.bits; bit += 8) {
				int mask = (this.bits - bit >= 8) ? 0xFF : (0xFF << (8 - (this.bits - bit))) & 0xFF;
				if ((bytes[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}
