package io.conclave.worker.tool;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether {@code http_get} may fetch a URL, and pins the address it connects to, so a model (or a prompt
 * injected into one) cannot reach the worker's own network: cloud metadata, loopback services, the cluster.
 *
 * <p>A URL passes only if its scheme is http(s), it has no user info, its host is on the allowlist, and every
 * address the host stands for is public. Hosts written as numbers are read the way resolvers read them
 * ({@code inet_aton}: {@code 2130706433}, {@code 0177.1}, {@code 0x7f.0.0.1} are all 127.0.0.1) and checked
 * without DNS; IPv6 literals are unwrapped when they embed IPv4 (mapped, compatible, NAT64, 6to4). A name is
 * resolved once, here, and the caller connects to the returned address, so a second lookup cannot rebind it.
 * Blocking (DNS): call it off the event loop.
 */
public final class SsrfGuard {

    /** Looks a host name up; a seam for tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL that passed, with the one address to connect to. */
    public record Target(URI uri, String host, int port, boolean ssl, InetAddress address, String pathAndQuery) {
    }

    /** Dot-separated parts that are all numbers (decimal, octal or hex): an address, never a name to look up. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*");
    private static final Pattern IPV4_PART = Pattern.compile("0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*");

    private final List<String> allowedHosts;
    private final List<Cidr> exemptions;
    private final Resolver resolver;

    /**
     * @param allowedHosts exact host names, or {@code *.example.com} for its subdomains
     * @param exemptions address ranges that pass the address check even though they are not public — for tests
     *     and local runs only
     */
    public SsrfGuard(List<String> allowedHosts, List<String> exemptions, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).toList();
        this.exemptions = exemptions.stream().filter(e -> !e.isBlank()).map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /** @throws ToolException with the reason the URL is refused */
    public Target check(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(url, "only http and https URLs may be fetched");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(url, "URLs with user info are not fetched");
        }
        String host = host(uri, url);
        if (!allowed(host)) {
            throw refused(url, "host '" + host + "' is not on the allowlist (conclave.tools.http-get.allowed-hosts)");
        }
        List<InetAddress> addresses = addresses(host, url);
        for (InetAddress address : addresses) {
            String why = blocked(address);
            if (why != null && !exempt(address)) {
                throw refused(url, "host '" + host + "' is " + address.getHostAddress() + ", " + why);
            }
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Target(uri, host, port, ssl, addresses.get(0), path);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new ToolException("argument 'url' must be an absolute URL of at most 2048 characters");
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            throw refused(url, "not a valid URL (" + e.getReason() + ")");
        }
    }

    private static String host(URI uri, String url) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(url, "it has no host (or one that is not a valid host name)");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private boolean allowed(String host) {
        for (String pattern : allowedHosts) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private List<InetAddress> addresses(String host, String url) {
        try {
            if (host.contains(":")) {
                return List.of(InetAddress.getByName(host)); // an IPv6 literal: parsed, never looked up
            }
            InetAddress numeric = ipv4Numeric(host);
            if (numeric != null) {
                return List.of(numeric);
            }
            if (NUMERIC_HOST.matcher(host).matches()) {
                throw refused(url, "host '" + host + "' looks like a numeric address but is not a valid one");
            }
            if (host.equals("localhost") || host.endsWith(".localhost")) {
                throw refused(url, "host '" + host + "' is the worker itself");
            }
            InetAddress[] resolved = resolver.resolve(host);
            if (resolved == null || resolved.length == 0) {
                throw refused(url, "host '" + host + "' did not resolve");
            }
            return List.of(resolved);
        } catch (UnknownHostException e) {
            throw refused(url, "host '" + host + "' did not resolve");
        }
    }

    /** {@code inet_aton}: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    static InetAddress ipv4Numeric(String host) throws UnknownHostException {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!IPV4_PART.matcher(parts[i]).matches()) {
                return null;
            }
            try {
                values[i] = parts[i].startsWith("0x") ? (parts[i].length() == 2 ? 0 : Long.parseLong(parts[i].substring(2), 16))
                        : parts[i].length() > 1 && parts[i].startsWith("0") ? Long.parseLong(parts[i], 8)
                        : Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return null;
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return InetAddress.getByAddress(host, bytes);
    }

    /** Why an address may not be fetched, or null when it is public. */
    static String blocked(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return blockedV4(b);
        }
        if (address instanceof Inet6Address) {
            return blockedV6(b);
        }
        return "an address of an unknown family";
    }

    private static String blockedV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 169 && a1 == 254) {
            return (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254 ? "the cloud metadata address" : "link-local";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 0) {
            return "the unspecified network (0.0.0.0/8)";
        }
        if (a0 == 10 || a0 == 172 && a1 >= 16 && a1 <= 31 || a0 == 192 && a1 == 168) {
            return "a private address";
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return "carrier-grade NAT (100.64.0.0/10)";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0 || a0 == 198 && (a1 == 18 || a1 == 19)) {
            return "a reserved range";
        }
        if (a0 >= 224) {
            return "multicast, reserved or broadcast";
        }
        return null;
    }

    private static String blockedV6(byte[] b) {
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded("IPv4-mapped", b, 12);
        }
        if (allZero(b, 0, 15) && (b[15] == 0 || b[15] == 1)) {
            return b[15] == 0 ? "the unspecified address (::)" : "loopback (::1)";
        }
        if (allZero(b, 0, 12)) {
            return embedded("IPv4-compatible", b, 12);
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return embedded("NAT64", b, 12);
        }
        if (first == 0x20 && second == 0x02) {
            return embedded("6to4", b, 2);
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            return "Teredo (2001::/32)";
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "link-local (fe80::/10)";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "site-local (fec0::/10)";
        }
        if ((first & 0xfe) == 0xfc) {
            return "a unique-local address (fc00::/7), where cloud metadata also lives";
        }
        if (first == 0xff) {
            return "multicast";
        }
        return null;
    }

    private static String embedded(String form, byte[] b, int offset) {
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        String inner = blockedV4(v4);
        return inner == null ? null : form + " " + (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff)
                + "." + (v4[3] & 0xff) + ", " + inner;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean exempt(InetAddress address) {
        return exemptions.stream().anyMatch(cidr -> cidr.contains(address));
    }

    private static ToolException refused(String url, String why) {
        return new ToolException("refused to fetch " + url + ": " + why);
    }

    /** An address range such as {@code 127.0.0.1/32}. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            try {
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
                return new Cidr(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an address range such as 127.0.0.1/32", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** All of a host's addresses as the system resolver sees them. */
    public static InetAddress[] systemResolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
