package io.autonomic.enrich.threat;

import java.util.ArrayList;
import java.util.List;

/**
 * A binary trie of networks, one per address family. A lookup walks the address's bits once (at most 32 or 128
 * steps) and collects the values of every network on the way, so it finds all containing networks, shortest prefix
 * first, in time independent of the number of entries. Built once; not modified after {@link ThreatIntel} is built.
 */
final class CidrTrie<V> {

    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        List<V> values;
    }

    private final Node<V> ipv4 = new Node<>();
    private final Node<V> ipv6 = new Node<>();
    private int size;

    void put(Cidr cidr, V value) {
        byte[] network = cidr.network();
        Node<V> node = network.length == 4 ? ipv4 : ipv6;
        for (int i = 0; i < cidr.prefixLength(); i++) {
            if (Cidr.bit(network, i)) {
                node = node.one == null ? (node.one = new Node<>()) : node.one;
            } else {
                node = node.zero == null ? (node.zero = new Node<>()) : node.zero;
            }
        }
        if (node.values == null) {
            node.values = new ArrayList<>(1);
        }
        node.values.add(value);
        size++;
    }

    /** Values of every network containing {@code address}, shortest prefix first; empty when none. */
    List<V> matches(byte[] address) {
        List<V> found = null;
        Node<V> node = address.length == 4 ? ipv4 : ipv6;
        int bits = address.length * 8;
        for (int i = 0; node != null; i++) {
            if (node.values != null) {
                if (found == null) {
                    found = new ArrayList<>(node.values.size());
                }
                found.addAll(node.values);
            }
            if (i == bits) {
                break;
            }
            node = Cidr.bit(address, i) ? node.one : node.zero;
        }
        return found == null ? List.of() : found;
    }

    int size() {
        return size;
    }
}
