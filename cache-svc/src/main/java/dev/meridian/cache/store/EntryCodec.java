package dev.meridian.cache.store;

import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.HeaderList;
import dev.meridian.cache.http.StoredResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The L2 byte form of a cached item: versioned, length-prefixed, no reflection. */
public final class EntryCodec {

    private static final int VERSION = 1;

    private EntryCodec() {
    }

    public static byte[] encode(CachedItem item) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (item instanceof CachedItem.Variants variants) {
                out.writeByte('V');
                strings(out, variants.names());
            } else if (item instanceof CachedItem.Response wrapped) {
                StoredResponse r = wrapped.response();
                out.writeByte('R');
                string(out, r.key());
                out.writeShort(r.status());
                out.writeLong(r.requestMillis());
                out.writeLong(r.responseMillis());
                out.writeBoolean(r.invalidated());
                strings(out, r.varyNames());
                strings(out, r.varyValues());
                out.writeInt(r.headers().lines().size());
                for (Header header : r.headers().lines()) {
                    string(out, header.name());
                    string(out, header.value());
                }
                out.writeInt(r.body().length);
                out.write(r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Null for bytes of another version (an upgrade in progress): treated as a miss. */
    public static CachedItem decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != VERSION) {
                return null;
            }
            byte kind = in.readByte();
            if (kind == 'V') {
                return new CachedItem.Variants(strings(in));
            }
            String key = string(in);
            int status = in.readShort();
            long requestMillis = in.readLong();
            long responseMillis = in.readLong();
            boolean invalidated = in.readBoolean();
            List<String> varyNames = strings(in);
            List<String> varyValues = strings(in);
            int count = in.readInt();
            List<Header> headers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                headers.add(new Header(string(in), string(in)));
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new CachedItem.Response(new StoredResponse(key, status, new HeaderList(headers), body, requestMillis,
                    responseMillis, invalidated, varyNames, varyValues));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            string(out, value);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(string(in));
        }
        return values;
    }
}
