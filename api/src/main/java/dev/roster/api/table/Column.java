package dev.roster.api.table;

import dev.roster.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * One column of a Table: kubectl upper-cases {@code name} for the header and shows columns with a
 * {@code priority} above zero only for {@code -o wide}.
 *
 * @param type "string", "integer", "date" or "boolean" — a hint; kubectl prints cells verbatim
 * @param format "name" marks the column holding the object name, "" otherwise
 */
public record Column(String name, String type, String format, String description, int priority) {

    static Column text(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    /** The Name column every printer but events starts with. */
    static final Column NAME = new Column("Name", "string", "name", "Name of the object, unique within its namespace.", 0);
    static final Column AGE = text("Age", "Time since the object was created.");
    static final Column CONTAINERS = wide("Containers", "Container names of the pod template.");
    static final Column IMAGES = wide("Images", "Container images of the pod template.");

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("name", name);
        n.put("type", type);
        n.put("format", format);
        n.put("description", description);
        n.put("priority", priority);
        return n;
    }
}
