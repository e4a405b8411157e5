package dev.meridian.cache.admin;

import dev.meridian.cache.proxy.CacheRuntime;
import dev.meridian.cache.store.Purge;
import dev.meridian.cache.warm.WarmJob;
import dev.meridian.cache.warm.WarmRequest;
import dev.meridian.cache.warm.WarmService;
import dev.meridian.contracts.cache.v1.Cache;
import dev.meridian.contracts.cache.v1.PurgeRequest;
import dev.meridian.contracts.cache.v1.PurgeResponse;
import dev.meridian.contracts.cache.v1.WarmResult;
import dev.meridian.contracts.cache.v1.WarmStatus;
import dev.meridian.contracts.cache.v1.WarmStatusRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** gRPC {@code meridian.cache.v1.Cache}: the admin API's purge and warming. */
@GrpcService
public class CacheGrpcService implements Cache {

    @Inject
    CacheRuntime runtime;

    @Inject
    WarmService warming;

    @Inject
    dev.meridian.cache.cdn.CdnPurges cdns;

    @Override
    public Uni<PurgeResponse> purge(PurgeRequest request) {
        Purge purge = new Purge(request.getUrlsList(), request.getPrefixesList(), request.getTagsList(), request.getSoft());
        if (purge.isEmpty() || purge.prefixes().stream().anyMatch(p -> !p.startsWith("/"))) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT
                    .withDescription("give urls, prefixes (paths starting with /) or tags").asRuntimeException());
        }
        return Uni.createFrom().completionStage(() -> runtime.store().purge(purge).toCompletionStage())
                .chain(count -> Uni.createFrom().item(() -> {
                    PurgeResponse.Builder response = PurgeResponse.newBuilder().setPurged(count);
                    if (cdns.any()) {
                        response.putAllCdn(cdns.purge(purge));
                    }
                    return response.build();
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()));
    }

    @Override
    @Blocking
    public Uni<WarmStatus> warm(dev.meridian.contracts.cache.v1.WarmRequest request) {
        try {
            WarmJob job = warming.start(new WarmRequest(request.getUrlsList(), request.getSitemap(), request.getHost(),
                    request.getConcurrency() == 0 ? null : request.getConcurrency()));
            return Uni.createFrom().item(status(job));
        } catch (WarmService.BadWarmRequest e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public Uni<WarmStatus> getWarmStatus(WarmStatusRequest request) {
        WarmJob job = warming.job(request.getId());
        if (job == null) {
            return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("no such warming job: " + request.getId()).asRuntimeException());
        }
        return Uni.createFrom().item(status(job));
    }

    private static WarmStatus status(WarmJob job) {
        WarmStatus.Builder status = WarmStatus.newBuilder().setId(job.id()).setTotal(job.total()).setDone(job.done())
                .setFailed(job.failed()).setComplete(job.complete());
        for (WarmJob.Result result : job.results()) {
            status.addResults(WarmResult.newBuilder().setUrl(result.url()).setStatus(result.status())
                    .setCache(result.cache() == null ? "" : result.cache()).setMillis(result.millis())
                    .setError(result.error() == null ? "" : result.error()));
        }
        return status.build();
    }
}
