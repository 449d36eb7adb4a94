package dev.roster.apiserver.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads CN and O out of a certificate's subject, as upstream's x509 authenticator maps them to user and groups. */
public final class Subjects {
    private Subjects() {}

    public static String commonName(X509Certificate cert) {
        List<String> cn = attribute(cert, "CN");
        return cn.isEmpty() ? "" : cn.getFirst();
    }

    public static List<String> organizations(X509Certificate cert) {
        return attribute(cert, "O");
    }

    /** Every value of one attribute, in the order the subject lists them. */
    private static List<String> attribute(X509Certificate cert, String type) {
        List<String> out = new ArrayList<>();
        try {
            // RFC 2253 lists the RDNs last-first; LdapName reverses them back
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) out.add(String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            return List.of();
        }
        return out;
    }
}
