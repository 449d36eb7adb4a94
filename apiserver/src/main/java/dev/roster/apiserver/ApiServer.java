package dev.roster.apiserver;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.api.table.TablePrinters;
import dev.roster.apiserver.allocation.NodePortAllocator;
import dev.roster.apiserver.allocation.ServiceAllocations;
import dev.roster.apiserver.allocation.ServiceIpAllocator;
import dev.roster.apiserver.auth.Authentication;
import dev.roster.apiserver.auth.Authenticator;
import dev.roster.apiserver.auth.AuthenticationReviews;
import dev.roster.apiserver.auth.BearerTokenAuthenticator;
import dev.roster.apiserver.auth.ClientCertificateAuthenticator;
import dev.roster.apiserver.authz.AccessReviews;
import dev.roster.apiserver.authz.Authorization;
import dev.roster.apiserver.authz.Authorizer;
import dev.roster.apiserver.authz.Impersonation;
import dev.roster.apiserver.authz.node.NodeAuthorization;
import dev.roster.apiserver.authz.rbac.EscalationCheck;
import dev.roster.apiserver.authz.rbac.PrivilegedGroups;
import dev.roster.apiserver.authz.rbac.RbacAuthorizer;
import dev.roster.apiserver.authz.rbac.RbacIndex;
import dev.roster.apiserver.auth.ServiceAccountTokenAuthenticator;
import dev.roster.apiserver.auth.ServiceAccountTokens;
import dev.roster.apiserver.auth.TokenAuthenticator;
import dev.roster.apiserver.auth.TokenFile;
import dev.roster.apiserver.pki.ServiceAccountKey;
import dev.roster.apiserver.rest.TokenRequests;
import java.util.ArrayList;
import java.util.List;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.discovery.Discovery;
import dev.roster.apiserver.http.ClientKey;
import dev.roster.apiserver.http.HelidonAdapter;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.apiserver.http.InFlightLimits;
import dev.roster.apiserver.openapi.OpenApi;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.apiserver.rest.Admission;
import dev.roster.apiserver.rest.ListWatch;
import dev.roster.apiserver.rest.ResourceHandler;
import dev.roster.apiserver.rest.ResourceStore;
import dev.roster.apiserver.rest.Reviews;
import dev.roster.apiserver.rest.TableBuilder;
import dev.roster.apiserver.rest.WatchHandler;
import dev.roster.storage.PeriodicCompactor;
import dev.roster.storage.Storage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Kubernetes API server: storage, watch cache, admission, REST handlers and the HTTP
 * listener, wired together. Start it, read its port, stop it; the storage belongs to the caller.
 */
public final class ApiServer implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiServer.class);
    /** The audiences this server accepts tokens for: upstream's default, the issuer. */
    public static final List<String> API_AUDIENCES = List.of(ServiceAccountTokens.ISSUER);
    private final ApiServerConfig config;
    private final Storage storage;
    private final ResourceRegistry registry = ResourceRegistry.builtin();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final ServingTls tls;
    private final ServiceAccountKey serviceAccountKey;
    private final Reviews reviews = new Reviews();
    private CacheHub cache;
    private RbacIndex rbacIndex;
    private RbacAuthorizer rbac;
    private volatile WebServer server;
    private volatile Router router;
    private ScheduledExecutorService background;
    private PeriodicCompactor compactor;

    /** Plain HTTP and no authentication: for in-process tests and benchmarks only; {@code roster up} serves TLS. */
    public ApiServer(ApiServerConfig config, Storage storage) {
        this(config, storage, null, ServiceAccountKey.generate());
    }

    /**
     * HTTPS only (TLS 1.2+), client certificates from {@code tls}'s CA asked for and verified; a request without
     * valid credentials gets 401 except for health and version.
     */
    public ApiServer(ApiServerConfig config, Storage storage, ServingTls tls) {
        this(config, storage, tls, ServiceAccountKey.generate());
    }

    /**
     * As above, with ServiceAccount tokens signed by {@code serviceAccountKey} (the cluster PKI's, so tokens outlive a
     * restart); without it a fresh key is made, good until the server stops.
     */
    public ApiServer(ApiServerConfig config, Storage storage, ServingTls tls, ServiceAccountKey serviceAccountKey) {
        this.config = config;
        this.storage = storage;
        this.tls = tls;
        this.serviceAccountKey = serviceAccountKey;
    }

    public ApiServer start() {
        // read first: a bad token file must stop the start before anything listens
        TokenFile tokenFile = config.tokenAuthFile() == null ? null : TokenFile.read(config.tokenAuthFile());
        cache = new CacheHub(storage, config.watchHistory(), config.watcherQueue());
        cache.start();
        ServiceIpAllocator ips = new ServiceIpAllocator(config.serviceCidr());
        ServiceAllocations allocations = new ServiceAllocations(ips, new NodePortAllocator(config.nodePortFirst(), config.nodePortLast()));
        ResourceType services = registry.find("", "v1", "services").orElseThrow();
        for (CachedObject svc : cache.list(services.storagePrefix(), services.listPrefix(null)).items()) {
            allocations.restore(svc.object());
        }
        NodeAuthorization nodeAccess = NodeAuthorization.following(cache, registry);
        ResourceType serviceAccounts = registry.find("", "v1", "serviceaccounts").orElseThrow();
        Admission admission = new Admission(allocations, config.loopbackMode()).withServiceAccounts((ns, name) ->
                storage.get(serviceAccounts.key(ns, name)).map(kv -> dev.roster.api.Json.parse(kv.value())));
        rbacIndex = new RbacIndex(cache, registry, storage::currentRevision);
        Authorizer authorizer = authorizers(rbacIndex, nodeAccess.authorizer());
        new AccessReviews(authorizer, rbac).registerWith(reviews);
        admission.add(new EscalationCheck(authorizer, rbac, rbacIndex::current)).add(nodeAccess.admission());
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        ResourceStore store = new ResourceStore(storage, cache, admission, config.clock(), namespaces,
                config.limits().maxStoredBytes());
        TableBuilder tables = new TableBuilder(TablePrinters.builtin());
        ResourceHandler handler = new ResourceHandler(store,
                new ListWatch(storage, cache, tables, config.clock()),
                new WatchHandler(cache, tables, config.clock()), tables, config.clock(),
                registry.find("", "v1", "nodes").orElseThrow(), config.kubeletHost());
        ServiceAccountTokens tokens = new ServiceAccountTokens(serviceAccountKey, config.clock());
        List<TokenAuthenticator> tokenAuthenticators = tokenAuthenticators(store, tokenFile, tokens);
        handler.withTokenRequests(new TokenRequests(store, registry, tokens, API_AUDIENCES));
        AuthenticationReviews.register(reviews, tokenAuthenticators, API_AUDIENCES, config.clock());

        Discovery discovery = new Discovery(registry, () -> config.host() + ":" + server.port());
        router = new Router(registry, discovery, new OpenApi(registry, config.version().gitVersion()), handler,
                config.version(), ready::get, reviews);
        var web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                // small replies go out at once: with Nagle's algorithm a reply written as two TLS records waits for
                // the client's delayed ACK of the first
                .connectionOptions(o -> o.tcpNoDelay(true))
                .shutdownGracePeriod(Duration.ofMillis(500));
        InFlightLimits inFlight = new InFlightLimits(config.limits().maxRequestsPerClient(), config.limits().maxLongRunningPerClient());
        int maxBody = config.limits().maxBodyBytes();
        // plain HTTP (in-process tests only) serves everyone anonymously; TLS requires a client certificate
        Function<RestRequest, RestResponse> serve = req -> router.handle(req);
        Authenticator authenticator = c -> Optional.empty();
        if (tls != null) {
            serve = new Authorization(serve, authorizer);
            serve = new Impersonation(authorizer, serve);
            serve = new Authentication(serve);
            authenticator = new ClientCertificateAuthenticator(tls.clientCa(), config.clock())
                    .or(new BearerTokenAuthenticator(tokenAuthenticators, API_AUDIENCES))
                    .withAuthenticatedGroup();
            web.tls(t -> t.sslContext(tls.sslContext()).clientAuth(TlsClientAuth.OPTIONAL)
                    .enabledProtocols(ServingTls.PROTOCOLS).endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE));
        }
        HelidonAdapter adapter = new HelidonAdapter(serve, maxBody, inFlight, ClientKey.USER_OR_ADDRESS, authenticator);
        web.routing(r -> r.any(adapter));
        server = web.build().start();
        ApiServerConfig.Advertise advertise = config.advertise() != null ? config.advertise()
                : new ApiServerConfig.Advertise(config.host(), server.port());
        Bootstrap.run(store, registry, ips.firstAddress(), advertise.ip(), advertise.port());
        // as upstream's rbac/bootstrap-roles post-start hook: not ready before the watch cache (which RBAC reads) holds
        // the default policy, or the components starting next would be refused
        if (!cache.waitFor(storage.currentRevision(), 30_000)) log.warn("the watch cache is behind the default RBAC policy");
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apiserver-compactor");
            t.setDaemon(true);
            return t;
        });
        compactor = new PeriodicCompactor(storage);
        compactor.start(background);
        ready.set(true);
        return this;
    }

    /**
     * The authorizer chain, the one place it is built, in upstream's order: members of system:masters first, then
     * the Node authorizer, then RBAC; the first that allows or denies decides.
     */
    private Authorizer authorizers(RbacIndex index, Authorizer node) {
        rbac = new RbacAuthorizer(index::current, index::latest);
        return new PrivilegedGroups().then(node).then(rbac);
    }

    /** The token file first, then ServiceAccount tokens checked against the live ServiceAccounts and bound objects. */
    private List<TokenAuthenticator> tokenAuthenticators(ResourceStore store, TokenFile tokenFile, ServiceAccountTokens tokens) {
        List<TokenAuthenticator> out = new ArrayList<>();
        if (tokenFile != null) out.add(tokenFile);
        ServiceAccountTokenAuthenticator.Objects live = (resource, ns, name) -> store
                .find(registry.find("", "v1", resource).orElseThrow(), ns, name)
                .map(o -> o.object().path("metadata").path("uid").asString(""))
                .orElse(null);
        out.add(new ServiceAccountTokenAuthenticator(tokens, live));
        return out;
    }

    /** Handles one request without HTTP: for in-process measurement and embedding. */
    public dev.roster.apiserver.http.RestResponse handle(dev.roster.apiserver.http.RestRequest request) {
        return router.handle(request);
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return (tls == null ? "http://" : "https://") + config.host() + ":" + port();
    }

    /** Where the create-only review resources (TokenReview, SubjectAccessReview, …) register their answers. */
    public Reviews reviews() {
        return reviews;
    }

    public ResourceRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        ready.set(false);
        if (compactor != null) compactor.close();
        if (background != null) background.shutdownNow();
        if (server != null) server.stop();
        if (rbacIndex != null) rbacIndex.close();
        if (cache != null) cache.close();
    }
}
