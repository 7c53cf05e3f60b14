package dev.courier.producer.internals.metadata;

/**
 * A broker: its id and address. Bootstrap addresses get negative ids (-1, -2, ...) until the
 * first metadata response names the real brokers.
 */
public record Node(int id, String host, int port, String rack) {

    /** The id as the network layer names the connection. */
    public String idString() {
        return Integer.toString(id);
    }

    @Override
    public String toString() {
        return host + ":" + port + " (id: " + id + (rack == null ? "" : ", rack: " + rack) + ")";
    }
}
