package dev.meridian.glb.config;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates the global-lb YAML; every error names the file and the setting's path. */
public final class GlbConfigParser {

    private final String file;

    private GlbConfigParser(String file) {
        this.file = file;
    }

    public static GlbConfig parse(String file, String content) {
        return new GlbConfigParser(file).config(content);
    }

    private GlbConfig config(String content) {
        Object loaded;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            loaded = new Yaml(new SafeConstructor(options)).load(content);
        } catch (YAMLException e) {
            throw error("", "not valid YAML: " + e.getMessage());
        }
        Map<String, Object> root = map(loaded, "");
        Name zone = name(string(root, "zone", ""), "zone");
        long ttl = number(root, "ttl", "", 30, 0, 86_400);
        List<Name> nameservers = new ArrayList<>();
        for (Object ns : list(root.get("nameservers"), "nameservers")) {
            nameservers.add(name(String.valueOf(ns), "nameservers"));
        }
        if (nameservers.isEmpty()) {
            nameservers.add(relative("ns1", zone));
        }
        Name hostmaster = root.containsKey("hostmaster") ? name(string(root, "hostmaster", ""), "hostmaster") : relative("hostmaster", zone);
        HealthSettings health = health(root.get("health"));
        List<RegionConfig> regions = new ArrayList<>();
        Set<String> regionNames = new HashSet<>();
        List<Object> rawRegions = list(root.get("regions"), "regions");
        for (int i = 0; i < rawRegions.size(); i++) {
            RegionConfig region = region(map(rawRegions.get(i), "regions[" + i + "]"), "regions[" + i + "]");
            if (!regionNames.add(region.name())) {
                throw error("regions[" + i + "].name", "duplicate region '" + region.name() + "'");
            }
            regions.add(region);
        }
        if (regions.isEmpty()) {
            throw error("regions", "at least one region is needed");
        }
        String primary = root.containsKey("primary_region") ? string(root, "primary_region", "") : regions.get(0).name();
        String fallback = root.containsKey("fallback_region") ? string(root, "fallback_region", "") : primary;
        for (String[] ref : new String[][] {{"primary_region", primary}, {"fallback_region", fallback}}) {
            if (!regionNames.contains(ref[1])) {
                throw error(ref[0], "unknown region '" + ref[1] + "'");
            }
        }
        List<GlobalName> names = new ArrayList<>();
        List<Object> rawNames = list(root.get("names"), "names");
        for (int i = 0; i < rawNames.size(); i++) {
            String path = "names[" + i + "]";
            Map<String, Object> raw = map(rawNames.get(i), path);
            Name name = name(string(raw, "name", path), path + ".name");
            if (!name.subdomain(zone)) {
                throw error(path + ".name", "'" + name + "' is not inside the zone " + zone);
            }
            String rawPolicy = raw.containsKey("policy") ? string(raw, "policy", path) : "geoproximity";
            Policy policy = Policy.parse(rawPolicy).orElseThrow(() -> error(path + ".policy",
                    "unknown policy '" + rawPolicy + "' (geoproximity, failover, weighted, round_robin or latency)"));
            names.add(new GlobalName(name, policy, number(raw, "ttl", path, ttl, 0, 86_400)));
        }
        return new GlbConfig(zone, ttl, List.copyOf(nameservers), hostmaster, primary, fallback, health, List.copyOf(regions),
                List.copyOf(names));
    }

    private HealthSettings health(Object raw) {
        Map<String, Object> health = raw == null ? Map.of() : map(raw, "health");
        return new HealthSettings(duration(health, "interval", "health", Duration.ofSeconds(2)),
                duration(health, "timeout", "health", Duration.ofSeconds(1)),
                (int) number(health, "rise", "health", 2, 1, 100), (int) number(health, "fall", "health", 3, 1, 100));
    }

    private RegionConfig region(Map<String, Object> raw, String path) {
        String name = string(raw, "name", path);
        List<InetAddress> ipv4 = new ArrayList<>();
        for (Object address : list(raw.get("ipv4"), path + ".ipv4")) {
            ipv4.add(address(String.valueOf(address), path + ".ipv4", true));
        }
        List<InetAddress> ipv6 = new ArrayList<>();
        for (Object address : list(raw.get("ipv6"), path + ".ipv6")) {
            ipv6.add(address(String.valueOf(address), path + ".ipv6", false));
        }
        double latitude = decimal(raw, "latitude", path, -90, 90);
        double longitude = decimal(raw, "longitude", path, -180, 180);
        List<CheckSpec> checks = new ArrayList<>();
        List<Object> rawChecks = list(raw.get("checks"), path + ".checks");
        for (int i = 0; i < rawChecks.size(); i++) {
            checks.add(check(map(rawChecks.get(i), path + ".checks[" + i + "]"), name + "/" + i, path + ".checks[" + i + "]"));
        }
        double share = raw.containsKey("healthy_share") ? decimal(raw, "healthy_share", path, 0, 1) : 0.5;
        double bias = raw.containsKey("bias_km") ? decimal(raw, "bias_km", path, -20_000, 20_000) : 0;
        return new RegionConfig(name, List.copyOf(ipv4), List.copyOf(ipv6), latitude, longitude,
                (int) number(raw, "weight", path, 100, 0, 1_000_000), (int) number(raw, "priority", path, 100, 0, 1_000_000),
                bias, share, List.copyOf(checks));
    }

    private CheckSpec check(Map<String, Object> raw, String id, String path) {
        if (raw.containsKey("http")) {
            URI uri;
            try {
                uri = URI.create(string(raw, "http", path));
            } catch (IllegalArgumentException e) {
                throw error(path + ".http", "not a URL: " + e.getMessage());
            }
            boolean tls = "https".equals(uri.getScheme());
            if (!tls && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw error(path + ".http", "expected http://host[:port]/path or https://…");
            }
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                target += "?" + uri.getRawQuery();
            }
            String body = raw.containsKey("body_contains") ? string(raw, "body_contains", path) : null;
            return new CheckSpec(id, CheckSpec.Kind.HTTP, uri.getHost(), port, target, tls, body);
        }
        if (raw.containsKey("grpc")) {
            String target = string(raw, "grpc", path);
            int colon = target.lastIndexOf(':');
            try {
                String service = raw.containsKey("service") ? string(raw, "service", path) : "";
                return new CheckSpec(id, CheckSpec.Kind.GRPC, target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)),
                        service, false, null);
            } catch (RuntimeException e) {
                throw error(path + ".grpc", "expected host:port, got '" + target + "'");
            }
        }
        if (raw.containsKey("tcp")) {
            String target = string(raw, "tcp", path);
            int colon = target.lastIndexOf(':');
            if (colon <= 0) {
                throw error(path + ".tcp", "expected host:port, got '" + target + "'");
            }
            try {
                int port = Integer.parseInt(target.substring(colon + 1));
                return new CheckSpec(id, CheckSpec.Kind.TCP, target.substring(0, colon), port, null, false, null);
            } catch (NumberFormatException e) {
                throw error(path + ".tcp", "expected host:port, got '" + target + "'");
            }
        }
        throw error(path, "a check needs http: URL, tcp: host:port or grpc: host:port");
    }

    private GlbConfigException error(String path, String message) {
        return new GlbConfigException(file + (path.isEmpty() ? "" : ": " + path) + ": " + message);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object raw, String path) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw error(path, "expected a mapping");
        }
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object raw, String path) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw error(path, "expected a list");
        }
        return (List<Object>) list;
    }

    private String string(Map<String, Object> raw, String key, String path) {
        Object value = raw.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw error(join(path, key), "is required");
        }
        return String.valueOf(value);
    }

    private long number(Map<String, Object> raw, String key, String path, long fallback, long min, long max) {
        Object value = raw.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.longValue() < min || number.longValue() > max
                || number.doubleValue() != number.longValue()) {
            throw error(join(path, key), "must be a whole number from " + min + " to " + max + ", got '" + value + "'");
        }
        return number.longValue();
    }

    private double decimal(Map<String, Object> raw, String key, String path, double min, double max) {
        Object value = raw.get(key);
        if (!(value instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
            throw error(join(path, key), "must be a number from " + min + " to " + max + ", got '" + value + "'");
        }
        return number.doubleValue();
    }

    private Duration duration(Map<String, Object> raw, String key, String path, Duration fallback) {
        Object value = raw.get(key);
        if (value == null) {
            return fallback;
        }
        String text = String.valueOf(value).strip();
        try {
            Duration parsed = text.endsWith("ms") ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
                    : text.endsWith("s") ? Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000))
                    : Duration.ofSeconds(Long.parseLong(text));
            if (parsed.isNegative() || parsed.isZero()) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw error(join(path, key), "must be a duration like 500ms or 2s, got '" + text + "'");
        }
    }

    private Name name(String raw, String path) {
        try {
            return Name.fromString(raw.endsWith(".") ? raw : raw + ".");
        } catch (TextParseException e) {
            throw error(path, "not a DNS name: " + raw);
        }
    }

    private static Name relative(String label, Name zone) {
        try {
            return Name.concatenate(Name.fromString(label), zone);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build " + label + "." + zone, e);
        }
    }

    private InetAddress address(String raw, String path, boolean v4) {
        try {
            if (!looksLiteral(raw)) {
                throw new UnknownHostException();
            }
            InetAddress address = InetAddress.getByName(raw);
            if (v4 != (address instanceof Inet4Address) || !v4 && !(address instanceof Inet6Address)) {
                throw new UnknownHostException();
            }
            return address;
        } catch (UnknownHostException e) {
            throw error(path, "not an IPv" + (v4 ? "4" : "6") + " address: " + raw);
        }
    }

    /** Only literals: a host name here would make config loading do DNS lookups. */
    private static boolean looksLiteral(String raw) {
        return raw.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
