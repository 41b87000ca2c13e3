package io.conclave.worker.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The http_get guard against hostile URLs. Every host below is on the allowlist, so each refusal comes from the
 * address check itself, not from the allowlist; names resolve through a fixed table, never real DNS.
 */
class SsrfGuardTest {

    private static final Map<String, String> DNS = Map.of(
            "public.example", "93.184.215.14",
            "rebind.example", "127.0.0.1",
            "metadata.google.internal", "169.254.169.254",
            "inside.example", "10.1.2.3",
            "v6loop.example", "::1",
            "mixed.example", "93.184.215.14");

    private final SsrfGuard guard = new SsrfGuard(List.of("*.example", "*.internal", "localhost", "*.localhost",
            "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "017700000001",
            "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "169.254.169.254", "fd00:ec2::254", "10.0.0.1", "172.16.5.4",
            "172.31.255.255", "192.168.1.1", "fe80::1", "fc00::1", "0.0.0.0", "0", "::", "100.64.0.1",
            "64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1", "2001::1", "224.0.0.1", "255.255.255.255",
            "0xa9fea9fe", "169.254.169.254.", "1.2.3.4.5", "93.184.215.14", "[::1]"), List.of(),
            SsrfGuardTest::resolve);

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/",
        "http://localhost:8080/admin",
        "http://foo.localhost/",
        "http://2130706433/",                       // decimal 127.0.0.1
        "http://0177.0.0.1/",                       // octal
        "http://0x7f.0.0.1/",                       // hex part
        "http://0x7f000001/",                       // one hex number
        "http://127.1/",                            // short form
        "http://017700000001/",                     // one octal number
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",               // IPv4-mapped, dotted
        "http://[::ffff:7f00:1]/",                  // IPv4-mapped, hex
        "http://169.254.169.254/latest/meta-data/", // AWS/GCP/Azure metadata
        "http://0xa9fea9fe/",                       // metadata in hex
        "http://169.254.169.254./",                 // trailing dot
        "http://[fd00:ec2::254]/",                  // AWS IPv6 metadata
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://0/",
        "http://[::]/",
        "http://100.64.0.1/",                       // carrier-grade NAT
        "http://[64:ff9b::7f00:1]/",                // NAT64 of 127.0.0.1
        "http://[2002:7f00:1::]/",                  // 6to4 of 127.0.0.1
        "http://[::127.0.0.1]/",                    // IPv4-compatible
        "http://[2001::1]/",                        // Teredo
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://rebind.example/",                   // a name that resolves to loopback
        "http://inside.example/",                   // a name that resolves to a private address
        "http://v6loop.example/",
        "http://1.2.3.4.5/",                        // numeric but not an address
        "http://nowhere.example/",                  // does not resolve
        "file:///etc/passwd",
        "gopher://public.example:70/_stats",
        "ftp://public.example/",
        "http://user:secret@public.example/",
        "http://evil.test/",                        // not on the allowlist
        "http://public.example.evil.test/",         // allowlisted name as a prefix
        "not a url",
        "//public.example/no-scheme",
    })
    void hostileUrlsAreRefused(String url) {
        ToolException refused = assertThrows(ToolException.class, () -> guard.check(url));
        assertTrue(refused.getMessage().contains("refused") || refused.getMessage().contains("url"),
                refused.getMessage());
    }

    @Test
    void aPublicAllowlistedHostPassesAndIsPinnedToItsAddress() {
        SsrfGuard.Target target = guard.check("https://public.example/path?q=1");
        assertEquals("93.184.215.14", target.address().getHostAddress());
        assertEquals("public.example", target.host());
        assertEquals(443, target.port());
        assertEquals("/path?q=1", target.pathAndQuery());
        assertEquals("93.184.215.14", guard.check("http://93.184.215.14:8080/").address().getHostAddress());
    }

    @Test
    void refusalsSayWhy() {
        assertTrue(message("http://2130706433/").contains("loopback"));
        assertTrue(message("http://169.254.169.254/").contains("metadata"));
        assertTrue(message("http://evil.test/").contains("allowlist"));
        assertTrue(message("http://[::ffff:10.0.0.1]/").contains("private"));
    }

    @Test
    void anExemptRangeLetsATestServerThroughButNothingElse() {
        SsrfGuard exempt = new SsrfGuard(List.of("127.0.0.1"), List.of("127.0.0.1/32"), SsrfGuardTest::resolve);
        assertEquals("127.0.0.1", exempt.check("http://127.0.0.1:1234/").address().getHostAddress());
        assertThrows(ToolException.class, () -> exempt.check("http://127.0.0.2/"));
    }

    @Test
    void anEmptyAllowlistRefusesEverything() {
        SsrfGuard none = new SsrfGuard(List.of(), List.of(), SsrfGuardTest::resolve);
        assertThrows(ToolException.class, () -> none.check("http://public.example/"));
    }

    private String message(String url) {
        return assertThrows(ToolException.class, () -> guard.check(url)).getMessage();
    }
}
