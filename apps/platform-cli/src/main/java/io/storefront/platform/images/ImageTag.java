package io.storefront.platform.images;

import io.storefront.platform.shell.CommandResult;
import io.storefront.platform.shell.Shell;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** A new image tag per commit: {@code <project version>-<12-character commit id>} (a new tag is what rolls the pods). */
public final class ImageTag {

    private ImageTag() {
    }

    public static String forHead(Shell shell, Path repository) {
        CommandResult head = shell.query(List.of("git", "rev-parse", "--short=12", "HEAD"));
        if (!head.succeeded()) {
            throw new IllegalStateException("`git rev-parse HEAD` failed: " + head.firstErrorLine());
        }
        return projectVersion(repository) + "-" + head.stdout().strip();
    }

    /** The root pom's own {@code <version>}, not the parent's. */
    static String projectVersion(Path repository) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(repository.resolve("pom.xml").toFile()).getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().strip();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the version from pom.xml: " + e.getMessage(), e);
        }
        throw new IllegalStateException("pom.xml has no <version>");
    }
}
