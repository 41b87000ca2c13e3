package io.conclave.aggregator.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for one type with Quarkus' ObjectMapper, so the topology reads and writes the wire records
 * exactly as the SmallRye channels of the other services do. Polymorphic types such as
 * {@code JoinEvent} are written with their {@code type} property.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonSerde(ObjectMapper mapper, Class<T> type) {
        this.type = mapper.constructType(type);
        this.reader = mapper.readerFor(this.type);
        this.writer = mapper.writerFor(this.type);
    }

    public static <T> JsonSerde<T> of(ObjectMapper mapper, Class<T> type) {
        return new JsonSerde<>(mapper, type);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + type.getRawClass().getSimpleName() + " as JSON", e);
        }
    }

    /** @throws SerializationException when the bytes are not JSON of this type */
    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.readValue(data);
        } catch (IOException e) {
            throw new SerializationException("not a " + type.getRawClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the mapper and the type are given at construction.
    }

    @Override
    public void close() {
        // Nothing to release: the ObjectMapper belongs to Quarkus.
    }
}
