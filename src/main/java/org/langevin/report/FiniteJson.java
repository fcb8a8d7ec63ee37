package org.langevin.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Jackson module for the project's JSON outputs: a non-finite double (a standard error of fewer than two
 * particles, a statistic of a run whose particles all diverged) is written as JSON {@code null}, which
 * every JSON reader accepts, instead of the non-standard strings {@code "NaN"} / {@code "Infinity"};
 * reading maps {@code null} (and those strings, from older files) back to NaN or ±∞ for double fields.
 * Stateless and thread-safe.
 */
final class FiniteJson {
    private FiniteJson() {
    }

    /** @return the module (serializers for double, Double and double[]; deserializers for double and Double) */
    static SimpleModule module() {
        SimpleModule m = new SimpleModule("langevin-finite-json");
        m.addSerializer(Double.class, new DoubleSerializer(Double.class));
        m.addSerializer(Double.TYPE, new DoubleSerializer(Double.TYPE));
        m.addSerializer(double[].class, new ArraySerializer());
        m.addDeserializer(Double.class, new DoubleDeserializer(Double.class));
        m.addDeserializer(Double.TYPE, new DoubleDeserializer(Double.TYPE));
        return m;
    }

    private static void write(double v, JsonGenerator g) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    private static final class DoubleSerializer extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unchecked")
        DoubleSerializer(Class<?> type) {
            super((Class<Double>) type);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            write(v, g);
        }
    }

    private static final class ArraySerializer extends StdSerializer<double[]> {
        private static final long serialVersionUID = 1L;

        ArraySerializer() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray(v, v.length);
            for (double x : v) {
                write(x, g);
            }
            g.writeEndArray();
        }
    }

    private static final class DoubleDeserializer extends StdDeserializer<Double> {
        private static final long serialVersionUID = 1L;

        DoubleDeserializer(Class<?> type) {
            super(type);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                return switch (s) {
                    case "NaN" -> Double.NaN;
                    case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                    case "-Infinity" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(s);
                };
            }
            if (t == JsonToken.VALUE_NULL) {
                return Double.NaN;
            }
            return p.getDoubleValue();
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
