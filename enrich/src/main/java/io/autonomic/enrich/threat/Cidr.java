package io.autonomic.enrich.threat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network: address bytes with the host bits cleared, and a prefix length. Parsing is done here
 * rather than with {@code InetAddress.getByName} because that may resolve a host name over DNS, which must never
 * happen on the record path; only numeric literals are accepted.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a bare address (a /32 or /128). Host bits are
     * cleared, so {@code 203.0.113.7/24} is the network {@code 203.0.113.0/24}.
     *
     * @throws IllegalArgumentException naming the text when it is not a CIDR
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = parseAddress(addressText);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or CIDR");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            try {
                prefix = Integer.parseInt(prefixText);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits || prefixText.isEmpty() || !prefixText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (0.." + bits + ")");
            }
        }
        return new Cidr(mask(address, prefix), prefix);
    }

    /** The network of {@code prefixLength} bits containing {@code address} (4 or 16 bytes). */
    public static Cidr of(byte[] address, int prefixLength) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
        }
        return new Cidr(mask(address, prefixLength), prefixLength);
    }

    /**
     * The bytes of a numeric IPv4 or IPv6 address, or null when the text is not one. Accepts IPv6 in brackets, with
     * a zone ({@code fe80::1%eth0}, zone ignored) and with an embedded IPv4 tail ({@code ::ffff:192.0.2.1}, which
     * stays a 16-byte address: it is looked up in the IPv6 tables, as written).
     */
    public static byte[] parseAddress(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty()) {
            return null;
        }
        return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            bytes[2 * i] = (byte) (headGroups[i] >> 8);
            bytes[2 * i + 1] = (byte) headGroups[i];
        }
        int offset = 8 - tailGroups.length;
        for (int i = 0; i < tailGroups.length; i++) {
            bytes[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
            bytes[2 * (offset + i) + 1] = (byte) tailGroups[i];
        }
        return bytes;
    }

    /** 16-bit groups of one side of an IPv6 address; a trailing dotted IPv4 counts as two groups. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int count = parts.length;
        boolean ipv4Tail = parts[count - 1].indexOf('.') >= 0;
        int[] groups = new int[ipv4Tail ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            if (ipv4Tail && i == count - 1) {
                byte[] v4 = parseIpv4(part);
                if (v4 == null) {
                    return null;
                }
                groups[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int c = 0; c < part.length(); c++) {
                int digit = Character.digit(part.charAt(c), 16);
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = Arrays.copyOf(address, address.length);
        for (int i = 0; i < masked.length; i++) {
            int bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xff << (8 - bitsInByte)));
        }
        return masked;
    }

    /** True for IPv6 networks. */
    public boolean isIpv6() {
        return network.length == 16;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** A copy of the network's address bytes (host bits zero). */
    public byte[] network() {
        return network.clone();
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(address, prefixLength), network);
    }

    /** Bit {@code index} (0 = most significant) of an address. */
    static boolean bit(byte[] address, int index) {
        return ((address[index >> 3] >> (7 - (index & 7))) & 1) != 0;
    }

    /** The canonical text: dotted quad, or lower-case IPv6 with the longest zero run compressed; then the prefix. */
    @Override
    public String toString() {
        return formatAddress(network) + "/" + prefixLength;
    }

    /** Canonical text of an address (4 or 16 bytes). */
    public static String formatAddress(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
