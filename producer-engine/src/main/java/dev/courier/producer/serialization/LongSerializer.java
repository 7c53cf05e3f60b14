package dev.courier.producer.serialization;

/** 64-bit integers, big-endian, as Kafka's own serializer writes them. */
public final class LongSerializer implements Serializer<Long> {

    @Override
    public byte[] serialize(String topic, Long data) {
        if (data == null) {
            return null;
        }
        long v = data;
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) v;
            v >>>= 8;
        }
        return bytes;
    }
}
