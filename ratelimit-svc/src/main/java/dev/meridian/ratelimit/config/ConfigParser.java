package dev.meridian.ratelimit.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one file in envoyproxy/ratelimit's YAML format (plus Meridian's extensions) into a
 * {@link DomainConfig}. Works on SnakeYAML's node tree rather than on plain maps so that every
 * error names the file, the line and column, and the key at fault.
 */
public final class ConfigParser {

    private static final Set<String> ROOT_KEYS = Set.of("domain", "descriptors", "failure_mode");
    private static final Set<String> DESCRIPTOR_KEYS = Set.of("key", "value", "rate_limit", "rate_limits", "descriptors",
            "shadow_mode", "quota_mode", "detailed_metric");
    private static final Set<String> LIMIT_KEYS = Set.of("unit", "requests_per_unit", "unlimited", "name", "replaces",
            "algorithm", "unit_multiplier");
    private static final Set<String> REPLACES_KEYS = Set.of("name");

    private final String file;

    private ConfigParser(String file) {
        this.file = file;
    }

    public static DomainConfig parse(String file, String content) {
        return new ConfigParser(file).domain(compose(file, content));
    }

    private static Node compose(String file, String content) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(4 * 1024 * 1024);
        try {
            Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(content));
            if (root == null) {
                throw new ConfigException(new SourcePosition(file, 1, 1), "config file is empty");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException(position(file, mark), "error loading config file: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(new SourcePosition(file, 1, 1), "error loading config file: " + e.getMessage());
        }
    }

    private DomainConfig domain(Node root) {
        Map<String, NodeTuple> fields = mapping(root, ROOT_KEYS, "the file");
        String domain = scalar(fields.get("domain"), "domain");
        if (domain == null || domain.isBlank()) {
            throw new ConfigException(pos(root), "config file cannot have empty domain");
        }
        FailureMode failureMode = FailureMode.ALLOW;
        String rawMode = scalar(fields.get("failure_mode"), "failure_mode");
        if (rawMode != null) {
            try {
                failureMode = FailureMode.valueOf(rawMode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(pos(fields.get("failure_mode").getValueNode()),
                        "invalid failure_mode '" + rawMode + "' (allow or deny)");
            }
        }
        DescriptorNode.DescriptorLevel level = level(fields.get("descriptors"), domain);
        return new DomainConfig(domain, failureMode, level, file);
    }

    private DescriptorNode.DescriptorLevel level(NodeTuple descriptors, String parentKey) {
        Map<String, DescriptorNode> byKey = new LinkedHashMap<>();
        List<DescriptorNode> wildcards = new ArrayList<>();
        if (descriptors == null) {
            return new DescriptorNode.DescriptorLevel(byKey, wildcards);
        }
        for (Node item : sequence(descriptors.getValueNode(), "descriptors")) {
            DescriptorNode node = descriptor(item, parentKey);
            String composite = node.value() == null ? node.key() : node.key() + "_" + node.value();
            if (byKey.containsKey(composite) || wildcards.stream().anyMatch(w -> (w.key() + "_" + w.value()).equals(composite))) {
                throw new ConfigException(node.position(),
                        "duplicate descriptor composite key '" + parentKey + "." + composite + "'");
            }
            if (node.value() != null && node.value().contains("*")) {
                wildcards.add(node);
            } else {
                byKey.put(composite, node);
            }
        }
        return new DescriptorNode.DescriptorLevel(byKey, wildcards);
    }

    private DescriptorNode descriptor(Node item, String parentKey) {
        Map<String, NodeTuple> fields = mapping(item, DESCRIPTOR_KEYS, "a descriptor");
        String key = scalar(fields.get("key"), "key");
        if (key == null || key.isEmpty()) {
            throw new ConfigException(pos(item), "descriptor has empty key");
        }
        String value = scalar(fields.get("value"), "value");
        if (value != null && value.isEmpty()) {
            value = null;
        }
        String metricKey = parentKey + "." + (value == null ? key : key + "_" + value);
        if (fields.containsKey("rate_limit") && fields.containsKey("rate_limits")) {
            throw new ConfigException(pos(fields.get("rate_limits").getKeyNode()),
                    "use either rate_limit or rate_limits on one descriptor, not both");
        }
        List<LimitRule> limits = new ArrayList<>();
        if (fields.containsKey("rate_limit")) {
            limits.add(limit(fields.get("rate_limit").getValueNode(), metricKey));
        }
        if (fields.containsKey("rate_limits")) {
            for (Node limitNode : sequence(fields.get("rate_limits").getValueNode(), "rate_limits")) {
                limits.add(limit(limitNode, metricKey));
            }
        }
        return new DescriptorNode(key, value, List.copyOf(limits),
                bool(fields.get("shadow_mode")), bool(fields.get("quota_mode")), bool(fields.get("detailed_metric")),
                level(fields.get("descriptors"), metricKey), pos(item));
    }

    private LimitRule limit(Node node, String metricKey) {
        Map<String, NodeTuple> fields = mapping(node, LIMIT_KEYS, "a rate_limit");
        boolean unlimited = bool(fields.get("unlimited"));
        String rawUnit = scalar(fields.get("unit"), "unit");
        LimitUnit unit = LimitUnit.parse(rawUnit).orElse(null);
        if (unlimited) {
            if (unit != null) {
                throw new ConfigException(pos(fields.get("unit").getKeyNode()), "should not specify rate limit unit when unlimited");
            }
        } else if (unit == null) {
            Node at = fields.containsKey("unit") ? fields.get("unit").getValueNode() : node;
            throw new ConfigException(pos(at), "invalid rate limit unit '" + (rawUnit == null ? "" : rawUnit) + "'");
        }
        long requests = unlimited && !fields.containsKey("requests_per_unit") ? 0
                : nonNegative(fields.get("requests_per_unit"), "requests_per_unit", node);
        String name = scalar(fields.get("name"), "name");
        List<String> replaces = new ArrayList<>();
        if (fields.containsKey("replaces")) {
            for (Node entry : sequence(fields.get("replaces").getValueNode(), "replaces")) {
                Map<String, NodeTuple> replaceFields = mapping(entry, REPLACES_KEYS, "a replaces entry");
                String replaced = scalar(replaceFields.get("name"), "name");
                if (replaced == null || replaced.isEmpty()) {
                    throw new ConfigException(pos(entry), "should not have an empty replaces entry");
                }
                if (replaced.equals(name)) {
                    throw new ConfigException(pos(entry), "replaces should not contain name of same descriptor");
                }
                replaces.add(replaced);
            }
        }
        Algorithm algorithm = Algorithm.FIXED_WINDOW;
        String rawAlgorithm = scalar(fields.get("algorithm"), "algorithm");
        if (rawAlgorithm != null) {
            algorithm = Algorithm.parse(rawAlgorithm).orElseThrow(() -> new ConfigException(
                    pos(fields.get("algorithm").getValueNode()),
                    "invalid algorithm '" + rawAlgorithm + "' (fixed_window, sliding_window or token_bucket)"));
        }
        int multiplier = 1;
        if (fields.containsKey("unit_multiplier")) {
            long raw = nonNegative(fields.get("unit_multiplier"), "unit_multiplier", node);
            if (raw < 1 || raw > 1_000_000) {
                throw new ConfigException(pos(fields.get("unit_multiplier").getValueNode()),
                        "unit_multiplier must be between 1 and 1000000, got " + raw);
            }
            multiplier = (int) raw;
        }
        return new LimitRule(name == null || name.isEmpty() ? null : name, requests, unlimited ? LimitUnit.SECOND : unit,
                multiplier, algorithm, unlimited, List.copyOf(replaces), metricKey);
    }

    private Map<String, NodeTuple> mapping(Node node, Set<String> allowed, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw new ConfigException(pos(node), "expected a mapping for " + what);
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new ConfigException(pos(tuple.getKeyNode()), "config error, key is not of type string");
            }
            String key = keyNode.getValue();
            if (!allowed.contains(key)) {
                throw new ConfigException(pos(keyNode), "config error, unknown key '" + key + "' in " + what);
            }
            if (fields.put(key, tuple) != null) {
                throw new ConfigException(pos(keyNode), "duplicate key '" + key + "' in " + what);
            }
        }
        return fields;
    }

    private List<Node> sequence(Node node, String key) {
        if (!(node instanceof SequenceNode sequence)) {
            throw new ConfigException(pos(node), "'" + key + "' must be a list");
        }
        return sequence.getValue();
    }

    private String scalar(NodeTuple tuple, String key) {
        if (tuple == null) {
            return null;
        }
        Node value = tuple.getValueNode();
        if (!(value instanceof ScalarNode scalar)) {
            throw new ConfigException(pos(value), "'" + key + "' must be a single value");
        }
        return "null".equals(scalar.getTag().getValue().replace("tag:yaml.org,2002:", "")) ? null : scalar.getValue();
    }

    private boolean bool(NodeTuple tuple) {
        if (tuple == null) {
            return false;
        }
        String raw = scalar(tuple, ((ScalarNode) tuple.getKeyNode()).getValue());
        if ("true".equalsIgnoreCase(raw)) {
            return true;
        }
        if (raw == null || "false".equalsIgnoreCase(raw)) {
            return false;
        }
        throw new ConfigException(pos(tuple.getValueNode()),
                "'" + ((ScalarNode) tuple.getKeyNode()).getValue() + "' must be true or false, got '" + raw + "'");
    }

    private long nonNegative(NodeTuple tuple, String key, Node owner) {
        String raw = scalar(tuple, key);
        if (raw == null) {
            throw new ConfigException(pos(owner), "'" + key + "' is required");
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(pos(tuple.getValueNode()), "'" + key + "' must be an integer from 0 to 4294967295, got '" + raw + "'");
        }
    }

    private SourcePosition pos(Node node) {
        return position(file, node.getStartMark());
    }

    private static SourcePosition position(String file, Mark mark) {
        return mark == null ? new SourcePosition(file, 1, 1) : new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
