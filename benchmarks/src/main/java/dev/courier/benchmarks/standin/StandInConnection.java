package dev.courier.benchmarks.standin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link StandInBroker}: reads request frames, answers them in order.
 * Everything here belongs to the connection's own thread; buffers are reused, so acknowledging a
 * produce request allocates next to nothing (the stand-in shares the CPU with the clients it measures).
 *
 * <p>Versions: ApiVersions 0-4 (answered with the v0 body when asked for more), Metadata 9-12,
 * Produce 9-11 (topic names, not ids), InitProducerId 2-4: only flexible versions, which every client
 * of Kafka 2.8 or later picks when the broker offers them.
 */
final class StandInConnection {

    private static final Logger log = LoggerFactory.getLogger(StandInConnection.class);

    static final short PRODUCE = 0;
    static final short METADATA = 3;
    static final short API_VERSIONS = 18;
    static final short INIT_PRODUCER_ID = 22;

    /** {key, min, max} as advertised. */
    static final short[][] SUPPORTED = {
        {PRODUCE, 9, 11},
        {METADATA, 9, 12},
        {API_VERSIONS, 0, 4},
        {INIT_PRODUCER_ID, 2, 4},
    };

    private static final short NONE = 0;
    private static final short UNSUPPORTED_VERSION = 35;
    private static final int BATCH_HEADER_TO_LAST_OFFSET_DELTA = 23;

    private final StandInBroker broker;
    private final Socket socket;
    private final WireIn in = new WireIn();
    private final WireOut out = new WireOut();
    private byte[] frame = new byte[64 * 1024];

    StandInConnection(StandInBroker broker, Socket socket) {
        this.broker = broker;
        this.socket = socket;
    }

    void run() {
        try (socket) {
            SSLEngine engine = broker.newServerEngine();
            InputStream rawIn;
            OutputStream output;
            if (engine == null) {
                rawIn = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
                output = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            } else {
                StandInTls tls = StandInTls.accept(engine, socket);
                rawIn = tls.input(); // buffered already: decrypted bytes wait in the TLS layer
                output = new BufferedOutputStream(tls.output(), 64 * 1024);
            }
            DataInputStream input = new DataInputStream(rawIn);
            while (true) {
                int size;
                try {
                    size = input.readInt();
                } catch (EOFException e) {
                    return;
                }
                if (size > frame.length) {
                    frame = new byte[Math.max(size, frame.length * 2)];
                }
                input.readFully(frame, 0, size);
                in.reset(frame, size);
                out.reset();
                if (handle()) {
                    output.write(out.array(), 0, out.finish());
                }
                // Answer pipelined requests in one write; flush once nothing more is waiting.
                if (rawIn.available() == 0) {
                    output.flush();
                }
            }
        } catch (IOException e) {
            log.debug("stand-in connection closed", e);
        } catch (RuntimeException e) {
            log.warn("stand-in connection failed on a request it could not parse; closing it", e);
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing a stand-in connection", e);
        }
    }

    /** Decodes one request and writes its response into {@link #out}; false when there is none (acks=0). */
    private boolean handle() {
        short apiKey = in.int16();
        short version = in.int16();
        int correlationId = in.int32();
        in.nullableString(); // client id
        if (apiKey == API_VERSIONS) {
            apiVersions(version, correlationId);
            return true;
        }
        in.skipTaggedFields(); // request header v2: every other API we accept is at a flexible version
        out.int32(correlationId).noTaggedFields(); // response header v1
        switch (apiKey) {
            case PRODUCE -> {
                return produce();
            }
            case METADATA -> metadata(version);
            case INIT_PRODUCER_ID -> initProducerId();
            default -> throw new IllegalStateException("the stand-in does not speak API key " + apiKey);
        }
        return true;
    }

    private void apiVersions(short version, int correlationId) {
        out.int32(correlationId); // ApiVersions always answers with response header v0
        if (version > 4) {
            // Too new: the v0 body with UNSUPPORTED_VERSION tells the client which versions to use.
            out.int16(UNSUPPORTED_VERSION).int32(SUPPORTED.length);
            for (short[] api : SUPPORTED) {
                out.int16(api[0]).int16(api[1]).int16(api[2]);
            }
            return;
        }
        out.int16(NONE);
        if (version >= 3) {
            out.compactArray(SUPPORTED.length);
            for (short[] api : SUPPORTED) {
                out.int16(api[0]).int16(api[1]).int16(api[2]).noTaggedFields();
            }
            out.int32(0).noTaggedFields();
        } else {
            out.int32(SUPPORTED.length);
            for (short[] api : SUPPORTED) {
                out.int16(api[0]).int16(api[1]).int16(api[2]);
            }
            if (version >= 1) {
                out.int32(0);
            }
        }
    }

    private void metadata(short version) {
        int count = in.unsignedVarint() - 1; // -1: all topics
        String[] names = new String[Math.max(count, 0)];
        for (int i = 0; i < count; i++) {
            if (version >= 10) {
                in.skip(16); // topic id
            }
            names[i] = in.compactString();
            in.skipTaggedFields();
        }
        out.int32(0); // throttle
        out.compactArray(1)
                .int32(StandInBroker.NODE_ID).compactString(broker.host()).int32(broker.port()).compactNull()
                .noTaggedFields();
        out.compactString(StandInBroker.CLUSTER_ID).int32(StandInBroker.NODE_ID);
        if (count < 0) {
            java.util.List<StandInBroker.Topic> all = new java.util.ArrayList<>();
            broker.knownTopics().forEach(all::add);
            out.compactArray(all.size());
            for (StandInBroker.Topic topic : all) {
                writeTopic(topic, version);
            }
        } else {
            out.compactArray(count);
            for (String name : names) {
                writeTopic(broker.topic(name), version);
            }
        }
        if (version <= 10) {
            out.int32(Integer.MIN_VALUE); // cluster authorized operations (v8-10)
        }
        out.noTaggedFields();
    }

    private void writeTopic(StandInBroker.Topic topic, short version) {
        out.int16(NONE).compactString(topic.name());
        if (version >= 10) {
            out.int64(topic.id().getMostSignificantBits()).int64(topic.id().getLeastSignificantBits());
        }
        out.int8(0); // not internal
        int partitions = broker.partitions();
        out.compactArray(partitions);
        for (int p = 0; p < partitions; p++) {
            out.int16(NONE).int32(p).int32(StandInBroker.NODE_ID).int32(0); // leader, leader epoch
            out.compactArray(1).int32(StandInBroker.NODE_ID); // replicas
            out.compactArray(1).int32(StandInBroker.NODE_ID); // isr
            out.compactArray(0); // offline replicas
            out.noTaggedFields();
        }
        out.int32(Integer.MIN_VALUE).noTaggedFields(); // topic authorized operations
    }

    private void initProducerId() {
        out.int32(0).int16(NONE).int64(broker.nextProducerId()).int16(0).noTaggedFields();
    }

    /**
     * Acknowledges every partition's batches: the base offset is the partition's counter before the
     * batches, which then advances by their record counts (lastOffsetDelta + 1 per batch).
     */
    private boolean produce() {
        in.skipCompactString(); // transactional id
        short acks = in.int16();
        in.int32(); // timeout
        int topicCount = in.unsignedVarint() - 1;
        out.compactArray(topicCount);
        int batchesSeen = 0;
        for (int t = 0; t < topicCount; t++) {
            String name = in.compactString();
            StandInBroker.Topic topic = broker.topic(name);
            out.compactString(name);
            int partitionCount = in.unsignedVarint() - 1;
            out.compactArray(partitionCount);
            for (int p = 0; p < partitionCount; p++) {
                int index = in.int32();
                int length = in.unsignedVarint() - 1;
                int start = in.position();
                long records = 0;
                int offset = start;
                while (length > 0 && offset + 61 <= start + length) {
                    int batchLength = in.int32At(offset + 8);
                    records += in.int32At(offset + BATCH_HEADER_TO_LAST_OFFSET_DELTA) + 1L;
                    offset += 12 + batchLength;
                    batchesSeen++;
                }
                if (length > 0) {
                    in.skip(length);
                }
                in.skipTaggedFields();
                short error = NONE;
                long baseOffset = -1;
                if (index >= 0 && index < topic.offsets().length) {
                    baseOffset = topic.offsets()[index].getAndAdd(records);
                } else {
                    error = 3; // UNKNOWN_TOPIC_OR_PARTITION
                }
                out.int32(index).int16(error).int64(baseOffset).int64(-1L).int64(0L);
                out.compactArray(0).compactNull().noTaggedFields();
            }
            in.skipTaggedFields();
            out.noTaggedFields();
        }
        in.skipTaggedFields();
        out.int32(0).noTaggedFields();
        broker.countBatches(batchesSeen);
        return acks != 0;
    }
}
