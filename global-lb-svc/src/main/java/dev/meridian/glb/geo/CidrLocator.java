package dev.meridian.glb.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default locator: a table of networks to coordinates, longest prefix wins. Small by
 * design (operators with real traffic configure a MaxMind-format database); the table is a
 * {@code cidr latitude longitude} text, one network a line, {@code #} comments.
 */
public final class CidrLocator {

    private record Network(byte[] address, int prefix, double latitude, double longitude) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }

    private final List<Network> networks;

    private CidrLocator(List<Network> networks) {
        this.networks = networks;
    }

    public static CidrLocator parse(String table) {
        List<Network> networks = new ArrayList<>();
        int lineNumber = 0;
        for (String line : table.split("\n")) {
            lineNumber++;
            String content = line.replaceAll("#.*", "").strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] parts = content.split("\\s+");
            try {
                String[] cidr = parts[0].split("/");
                byte[] address = InetAddress.getByName(cidr[0]).getAddress();
                int prefix = Integer.parseInt(cidr[1]);
                if (parts.length != 3 || prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException();
                }
                networks.add(new Network(address, prefix, Double.parseDouble(parts[1]), Double.parseDouble(parts[2])));
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("geo table line " + lineNumber + ": expected 'cidr latitude longitude', got '" + line + "'");
            }
        }
        networks.sort(Comparator.comparingInt(Network::prefix).reversed());
        return new CidrLocator(List.copyOf(networks));
    }

    public Optional<Location> locate(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Network network : networks) {
            if (network.contains(bytes)) {
                return Optional.of(new Location(network.latitude(), network.longitude(), network.prefix()));
            }
        }
        return Optional.empty();
    }

    public int size() {
        return networks.size();
    }
}
