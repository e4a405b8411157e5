package dev.meridian.ratelimit.config;

/** Where something stands in a config file: file name, 1-based line and column. */
public record SourcePosition(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
