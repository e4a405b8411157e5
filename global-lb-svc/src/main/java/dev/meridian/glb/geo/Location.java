package dev.meridian.glb.geo;

/**
 * A point on the globe.
 *
 * @param prefixLength how much of the client's address the location depends on (the matched
 *                     network's prefix): the ECS scope of an answer based on it
 */
public record Location(double latitude, double longitude, int prefixLength) {

    private static final double EARTH_RADIUS_KM = 6371.0088;

    /** Great-circle distance (haversine) in kilometres. */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
