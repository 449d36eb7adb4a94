package dev.roster.api.crd.cel;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.net.URISyntaxException;

/**
 * Kubernetes' URL library for rules ({@code url(self.endpoint).getScheme() == 'https'}): absolute URLs and
 * absolute paths, parsed with {@link URI}; the getters return the parts as Go's net/url does ("" when absent).
 */
final class UrlLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final UrlLibrary INSTANCE = new UrlLibrary();
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");

    private UrlLibrary() {}

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("url",
                        CelOverloadDecl.newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isURL",
                        CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
                getter("getScheme"), getter("getHost"), getter("getHostname"), getter("getPort"),
                getter("getEscapedPath"),
                CelFunctionDecl.newFunctionDeclaration("getQuery", CelOverloadDecl.newMemberOverload("url_getQuery",
                        MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)), URL)));
    }

    private static CelFunctionDecl getter(String name) {
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newMemberOverload("url_" + name, SimpleType.STRING, URL));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_to_url", String.class, UrlLibrary::parse),
                CelFunctionBinding.from("is_url_string", String.class, s -> valid(s) != null),
                CelFunctionBinding.from("url_getScheme", URI.class, u -> orEmpty(u.getScheme())),
                CelFunctionBinding.from("url_getHost", URI.class,
                        u -> orEmpty(u.getRawAuthority()).replaceFirst("^.*@", "")),
                CelFunctionBinding.from("url_getHostname", URI.class,
                        u -> orEmpty(u.getHost()).replaceAll("^\\[|]$", "")),
                CelFunctionBinding.from("url_getPort", URI.class,
                        u -> u.getPort() < 0 ? "" : String.valueOf(u.getPort())),
                CelFunctionBinding.from("url_getEscapedPath", URI.class, u -> orEmpty(u.getRawPath())),
                CelFunctionBinding.from("url_getQuery", URI.class, UrlLibrary::query));
    }

    private static URI parse(String s) throws CelEvaluationException {
        URI uri = valid(s);
        if (uri == null) throw new CelEvaluationException("URL is invalid: " + s);
        return uri;
    }

    /** Like upstream, only absolute URLs and absolute paths are URLs. */
    private static URI valid(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() || (uri.getRawPath() != null && uri.getRawPath().startsWith("/")) ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The query's parameters, each with its values in order, decoded as Go's url.Values are. */
    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
