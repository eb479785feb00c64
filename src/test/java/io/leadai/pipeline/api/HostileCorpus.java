package io.leadai.pipeline.api;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.nimbusds.jwt.PlainJWT;
import io.leadai.pipeline.testinfra.TestCredentials;

/**
 * The hostile-input corpus, generated: every endpoint's valid request, mutated field by field (wrong types,
 * missing, out of range, hostile text), body by body (not JSON, trailing garbage, duplicate keys, nesting,
 * invalid UTF-8), by content type, id, query parameter and method. Each request says what the API must answer:
 * a refusal (status, and the field the error names), or acceptance with what must be stored verbatim.
 */
final class HostileCorpus {

    /** What a valid request in the corpus writes, to be found stored exactly as sent. */
    enum Stores { NOTHING, LEAD, MESSAGE, KAFKA_TEST, REPLAY }

    /**
     * Whose credential a request is sent with: the test's tenant's, another tenant's, or none but the
     * request's own headers (the credential cases).
     */
    enum Caller { TENANT, OTHER_TENANT, OWN_HEADERS }

    /**
     * One request. {@code status} is the answer expected; for a refusal {@code field} is the field its error body
     * must name (null where the request has none to name); for an accepted write {@code sent} holds the fields
     * that must be stored as sent.
     */
    record Request(String name, String method, String path, Map<String, String> headers, byte[] body, int status,
                   String field, Stores stores, Map<String, String> sent, Caller caller) {

        Request(String name, String method, String path, Map<String, String> headers, byte[] body, int status,
                String field, Stores stores, Map<String, String> sent) {
            this(name, method, path, headers, body, status, field, stores, sent, Caller.TENANT);
        }

        boolean valid() {
            return status < 400;
        }

        @Override
        public String toString() {
            return name + " (" + method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + ")";
        }
    }

    /** A JSON body's field: whether it is required, and which of the hostile strings it accepts. */
    private record Field(String name, boolean required, Kind kind, int maxLength) {
    }

    private enum Kind { IDENTIFIER, TEXT, SHORT_TEXT, EMAIL, PHONE }

    /** A JSON endpoint: its path, the valid body, its fields, and what a valid request writes. */
    private record JsonEndpoint(String name, String path, int status, Stores stores, Map<String, String> valid,
                                List<Field> fields) {
    }

    private final String tenant;
    private final String otherTenant;
    private final String marker;
    private final String readLead;
    private final String writeLead;
    private final String errorId;
    private final List<Request> requests = new ArrayList<>();

    /**
     * @param tenant    the test's tenant: every request is sent with its credential unless it says otherwise
     * @param otherTenant a tenant with a credential but nothing of the test's tenant's: it sees none of it
     * @param marker    text the AI stubs answer for: in every text a valid request writes
     * @param readLead  a lead of the tenant that refused requests aim at (it must stay unchanged)
     * @param writeLead a lead of the tenant that valid messages and reprocess requests aim at
     * @param errorId   a dead letter of the tenant (replays aimed at it are all refused)
     */
    HostileCorpus(String tenant, String otherTenant, String marker, String readLead, String writeLead, String errorId) {
        this.tenant = tenant;
        this.otherTenant = otherTenant;
        this.marker = marker;
        this.readLead = readLead;
        this.writeLead = writeLead;
        this.errorId = errorId;
    }

    List<Request> generate() {
        List<JsonEndpoint> endpoints = jsonEndpoints();
        for (JsonEndpoint endpoint : endpoints) {
            for (Field field : endpoint.fields()) {
                fieldMutations(endpoint, field);
            }
            bodyMutations(endpoint);
            contentTypeMutations(endpoint);
            invalidUtf8(endpoint);
        }
        idMutations();
        queryMutations();
        headerInjection();
        wrongMethods();
        unknownPaths();
        credentials();
        return List.copyOf(requests);
    }

    private List<JsonEndpoint> jsonEndpoints() {
        Map<String, String> lead = new LinkedHashMap<>();
        lead.put("tenant_id", tenant);
        lead.put("business_id", "shop-1");
        lead.put("initial_message", "I want to buy 2 laptops " + marker);
        lead.put("source", "web");
        lead.put("name", "Ann Smith");
        lead.put("email", "ann@example.com");
        lead.put("phone", "+1 555 0100");
        // tenant_id is optional: the tenant is the credential's, a body may only repeat it
        List<Field> leadFields = List.of(new Field("tenant_id", false, Kind.IDENTIFIER, 64),
                new Field("business_id", true, Kind.IDENTIFIER, 64), new Field("initial_message", true, Kind.TEXT, 10_000),
                new Field("source", false, Kind.SHORT_TEXT, 64), new Field("name", false, Kind.SHORT_TEXT, 200),
                new Field("email", false, Kind.EMAIL, 254), new Field("phone", false, Kind.PHONE, 32));

        Map<String, String> message = new LinkedHashMap<>();
        message.put("message_text", "Also 3 monitors please " + marker);

        Map<String, String> kafkaTest = new LinkedHashMap<>();
        kafkaTest.put("text", "I want to buy 2 laptops " + marker);
        kafkaTest.put("tenant_id", tenant);
        kafkaTest.put("business_id", "shop-1");

        return List.of(
                new JsonEndpoint("create lead", "/api/v1/leads", 201, Stores.LEAD, lead, leadFields),
                new JsonEndpoint("add message", "/api/v1/leads/" + writeLead + "/messages?tenant_id=" + tenant, 202,
                        Stores.MESSAGE, message, List.of(new Field("message_text", true, Kind.TEXT, 10_000))),
                new JsonEndpoint("kafka test", "/kafka/test", 200, Stores.KAFKA_TEST, kafkaTest,
                        List.of(new Field("text", true, Kind.TEXT, 10_000),
                                // optional, but it must still be this tenant when sent valid (see hostileStrings)
                                new Field("tenant_id", false, Kind.IDENTIFIER, 64),
                                new Field("business_id", false, Kind.IDENTIFIER, 64))));
    }

    // ---- one field at a time ------------------------------------------------------------------------------

    /** Values of other JSON types in place of a string: each refused, naming the field. */
    private static final Map<String, String> WRONG_TYPES = orderedMap(
            "null", "null",
            "integer", "42",
            "negative", "-1",
            "float", "0.5",
            "number out of double range", "1e400",
            "integer out of long range", "-92233720368547758080",
            "huge integer", "9".repeat(900),
            "boolean", "true",
            "array", "[\"text\"]",
            "empty array", "[]",
            "object", "{\"text\": \"hi\"}",
            "empty object", "{}",
            "nested object", "{\"a\":".repeat(200) + "1" + "}".repeat(200),
            "nested arrays", "[".repeat(500) + "]".repeat(500));

    private void fieldMutations(JsonEndpoint endpoint, Field field) {
        String where = endpoint.name() + ", " + field.name() + ": ";
        if (field.required()) {
            Map<String, String> body = jsonValues(endpoint.valid());
            body.remove(field.name());
            refuse(where + "missing", "POST", endpoint.path(), json(body), 400, field.name());
        } else {
            accept(where + "left out", endpoint, withoutField(endpoint.valid(), field.name()));
        }
        WRONG_TYPES.forEach((label, raw) -> {
            Map<String, String> body = jsonValues(endpoint.valid());
            body.put(field.name(), raw);
            refuse(where + label, "POST", endpoint.path(), json(body), 400, field.name());
        });
        hostileStrings(field).forEach((label, value) -> {
            Map<String, String> sent = new LinkedHashMap<>(endpoint.valid());
            sent.put(field.name(), value.text());
            if (value.accepted()) {
                accept(where + label, endpoint, sent);
            } else {
                refuse(where + label, "POST", endpoint.path(), json(jsonValues(sent)), 400, field.name());
            }
        });
        if (field.name().equals("tenant_id")) {
            // a well-formed tenant that is not the credential's: forbidden, nothing written
            for (String other : List.of(otherTenant, tenant.toUpperCase(java.util.Locale.ROOT), tenant + "x")) {
                Map<String, String> body = jsonValues(endpoint.valid());
                body.put(field.name(), jsonString(other));
                refuse(where + "another tenant " + other, "POST", endpoint.path(), json(body), 403, "tenant_id");
            }
        }
        // a server-owned or unknown field beside a valid body
        for (String extra : List.of("status", "lead_id", "intent", "entities", "created_at", "colour")) {
            Map<String, String> body = jsonValues(endpoint.valid());
            body.put(extra, "\"enriched\"");
            refuse(where + "with " + extra, "POST", endpoint.path(), json(body), 400, extra);
        }
    }

    private record Value(String text, boolean accepted) {
    }

    /** Text that is data in a text field (stored as sent) and refused by every identifier's pattern. */
    private static final Map<String, String> DATA_TEXTS = orderedMap(
            "SQL", "x'); DROP TABLE leads; --",
            "SQL tautology", "' OR '1'='1",
            "SQL comment and union", "1 UNION SELECT tenant_id FROM leads /*",
            "script", "<script>alert(1)</script>",
            "HTML attribute", "\"><img src=x onerror=alert(1)>",
            "path traversal", "../../../../etc/passwd",
            "template and JNDI", "${jndi:ldap://x/a} {{7*7}} #{1+1}",
            "format string", "%s%s%n%x",
            "CRLF", "a\r\nSet-Cookie: x=y",
            "control characters", "bell\u0007 escape\u001b[31m tab\t",
            "unicode", "Ünïcödé 😀 עברית \u200F e\u0301");

    /**
     * Hostile strings, and whether the field accepts them. Text fields take anything printable up to their length
     * (SQL, script, traversal and template text are data); identifiers only their pattern.
     */
    private Map<String, Value> hostileStrings(Field field) {
        boolean text = field.kind() == Kind.TEXT;
        boolean shortText = field.kind() == Kind.SHORT_TEXT;
        boolean free = text || shortText;
        // texts carry the marker so that the AI stubs answer for the leads they create
        Function<String, String> t = s -> text ? s + " " + marker : s;
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("empty", new Value("", false));
        values.put("blank", new Value("   ", shortText));
        values.put("one over the length", new Value("x".repeat(field.maxLength() + 1), false));
        DATA_TEXTS.forEach((label, value) -> values.put(label, new Value(t.apply(value), free)));
        values.put("NUL character", new Value(t.apply("before\u0000after"), false));
        values.put("lone surrogate", new Value(t.apply("half \uD83D of an emoji"), false));
        values.put("trailing newline", new Value((text ? t.apply("x") : field.kind() == Kind.IDENTIFIER
                ? identifierValue(field) : field.kind() == Kind.PHONE ? "+1 555 0100" : "a@example.com") + "\n", free));
        if (field.kind() != Kind.IDENTIFIER && field.kind() != Kind.PHONE) {
            values.put("exactly the length", new Value(exactly(field), field.kind() != Kind.EMAIL));
        }
        if (field.kind() == Kind.IDENTIFIER) {
            values.put("space inside", new Value("shop 1", false));
            values.put("leading dot", new Value(".hidden", false));
            if (!field.name().equals("tenant_id")) {
                // another tenant's id would write outside the tenant the database check watches
                values.put("exactly the length", new Value("b".repeat(64), true));
                values.put("every allowed character", new Value("A0.b_c:d-e", true));
            }
        }
        if (field.kind() == Kind.EMAIL) {
            values.put("apostrophe address", new Value("o'brien@example.com", true));
            values.put("no domain", new Value("ann@", false));
            values.put("two at signs", new Value("a@b@example.com", false));
        }
        if (field.kind() == Kind.PHONE) {
            values.put("letters", new Value("call me maybe", false));
            values.put("international", new Value("+44 (20) 7946-0958", true));
        }
        return values;
    }

    private String identifierValue(Field field) {
        return field.name().equals("tenant_id") ? tenant : "shop-1";
    }

    private String exactly(Field field) {
        return switch (field.kind()) {
            case EMAIL -> "a".repeat(field.maxLength() - "@example.com".length() + 1) + "@example.com";
            case TEXT -> "y".repeat(field.maxLength() - marker.length() - 1) + " " + marker;
            default -> "y".repeat(field.maxLength());
        };
    }

    // ---- whole bodies ---------------------------------------------------------------------------------------

    private void bodyMutations(JsonEndpoint endpoint) {
        String valid = json(jsonValues(endpoint.valid()));
        String where = endpoint.name() + " body: ";
        Map<String, String> bodies = orderedMap(
                "empty", "",
                "blank", " \n\t ",
                "null", "null",
                "array", "[" + valid + "]",
                "string", "\"" + marker + "\"",
                "number", "42",
                "truncated", valid.substring(0, valid.length() / 2),
                "trailing garbage", valid + " garbage",
                "trailing object", valid + valid,
                "trailing comma", valid.substring(0, valid.length() - 1) + ",}",
                "single quotes", valid.replace('"', '\''),
                "comment", "/* hi */" + valid,
                "NaN literal", valid.substring(0, valid.length() - 1) + ", \"x\": NaN}",
                "byte order mark", "\uFEFF" + valid,
                "deep nesting", "[".repeat(5_000) + "]".repeat(5_000),
                "deep nesting in a field", valid.substring(0, valid.length() - 1) + ", \"x\": "
                        + "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000) + "}",
                "XML", "<lead><tenant_id>" + tenant + "</tenant_id></lead>",
                "form encoded", "tenant_id=" + tenant + "&text=hi");
        bodies.forEach((label, body) -> refuse(where + label, "POST", endpoint.path(), body, 400, "body"));
        // every unknown field is named, the first among them
        refuse(where + "many unknown fields", "POST", endpoint.path(), manyFields(valid, 3_000), 400, "f0");

        String firstField = endpoint.fields().get(0).name();
        // a duplicate key must never let the second value win (or the first): the body is refused
        refuse(where + "duplicate key", "POST", endpoint.path(),
                valid.substring(0, valid.length() - 1) + ", \"" + firstField + "\": " + jsonString(endpoint.valid().get(firstField)) + "}",
                400, "body");
        if (endpoint.valid().containsKey("tenant_id")) {
            refuse(where + "duplicate tenant_id naming another tenant", "POST", endpoint.path(),
                    valid.substring(0, valid.length() - 1) + ", \"tenant_id\": \"other-tenant\"}", 400, "body");
        }
        refuse(where + "over the size limit", "POST", endpoint.path(),
                valid.substring(0, valid.length() - 1) + ", \"pad\": \"" + "p".repeat(70_000) + "\"}", 413, "body");
    }

    private static String manyFields(String valid, int count) {
        StringBuilder body = new StringBuilder(valid.substring(0, valid.length() - 1));
        for (int i = 0; i < count; i++) {
            body.append(", \"f").append(i).append("\": 1");
        }
        return body.append('}').toString();
    }

    private void contentTypeMutations(JsonEndpoint endpoint) {
        String body = json(jsonValues(endpoint.valid()));
        String where = endpoint.name() + " content type: ";
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json-patch+json", "application/jsonx", "*/*",
                "text/html; charset=utf-8", "application/json; charset=ISO-8859-1", "application/json; charset=nope",
                "application/json; charset=")) {
            requests.add(new Request(where + type, "POST", endpoint.path(), Map.of("Content-Type", type),
                    utf8(body), 415, "Content-Type", Stores.NOTHING, Map.of()));
        }
        requests.add(new Request(where + "absent", "POST", endpoint.path(), Map.of(), utf8(body), 415,
                "Content-Type", Stores.NOTHING, Map.of()));
        for (String type : List.of("APPLICATION/JSON", "application/json;charset=UTF-8")) {
            Map<String, String> sent = new LinkedHashMap<>(endpoint.valid());
            requests.add(new Request(where + type, "POST", endpoint.path(), Map.of("Content-Type", type),
                    utf8(json(jsonValues(sent))), endpoint.status(), null, endpoint.stores(), sent));
        }
    }

    /** Bytes that are not UTF-8 inside an otherwise valid body. */
    private void invalidUtf8(JsonEndpoint endpoint) {
        String textField = endpoint.fields().stream().filter(f -> f.kind() == Kind.TEXT).findFirst().orElseThrow().name();
        Map<String, byte[]> sequences = new LinkedHashMap<>();
        sequences.put("lone continuation byte", new byte[] {(byte) 0x80});
        sequences.put("bad second byte", new byte[] {(byte) 0xC3, 0x28});
        sequences.put("FF FE", new byte[] {(byte) 0xFF, (byte) 0xFE});
        sequences.put("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF});
        sequences.put("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        sequences.put("truncated sequence", new byte[] {(byte) 0xE2, (byte) 0x82});
        sequences.put("Latin-1 e acute", new byte[] {(byte) 0xE9});
        sequences.forEach((label, bytes) -> {
            Map<String, String> body = jsonValues(endpoint.valid());
            body.put(textField, "\"INVALID\"");
            String[] halves = json(body).split("INVALID", 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(utf8(halves[0] + "text "));
            out.writeBytes(bytes);
            out.writeBytes(utf8(" " + marker + halves[1]));
            requests.add(new Request(endpoint.name() + " invalid UTF-8: " + label, "POST", endpoint.path(),
                    Map.of("Content-Type", "application/json"), out.toByteArray(), 400, "body", Stores.NOTHING, Map.of()));
        });
    }

    // ---- ids in paths ---------------------------------------------------------------------------------------

    /** Ids that are not a UUID (400 naming the id) or a UUID of nothing this tenant has (404). */
    private void idMutations() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        ids.put("not-a-uuid", 400);
        ids.put("12345", 400);
        ids.put("..%252F..%252Fetc%252Fpasswd", 400);
        ids.put("%27%20OR%20%271%27%3D%271", 400);
        ids.put("%3Cscript%3Ealert(1)%3C%252Fscript%3E", 400);
        ids.put("%E2%80%AE" + UUID.randomUUID(), 400);
        ids.put(UUID.randomUUID() + "x", 400);
        ids.put(UUID.randomUUID().toString().replace("-", ""), 400);
        ids.put("1-1-1-1-1", 400);
        ids.put("%7B" + UUID.randomUUID() + "%7D", 400);
        ids.put("a".repeat(4_000), 400);
        ids.put(UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT), 404);
        ids.put("00000000-0000-0000-0000-000000000000", 404);
        String q = "?tenant_id=" + tenant;
        ids.forEach((id, status) -> {
            String label = id.length() > 40 ? id.substring(0, 40) + "... (" + id.length() + " characters)" : id;
            // an encoded '%' is refused by the security firewall before any route reads the id
            Function<String, String> field = name -> id.contains("%25") ? "path" : name;
            refuse("get lead, id " + label, "GET", "/api/v1/leads/" + id + q, null, status, field.apply("lead_id"));
            refuse("add message, id " + label, "POST", "/api/v1/leads/" + id + "/messages" + q,
                    json(orderedMap("message_text", jsonString("hello " + marker))), status, field.apply("lead_id"));
            refuse("reprocess, id " + label, "POST", "/api/v1/leads/" + id + "/reprocess" + q, "", status,
                    field.apply("lead_id"));
            refuse("replay, id " + label, "POST", "/api/v1/ai-errors/" + id + "/replay" + q, "", status,
                    field.apply("error_id"));
            refuse("kafka test result, id " + label, "GET", "/kafka/test/" + id, null, status, field.apply("event_id"));
        });
        // ids that Tomcat refuses before routing (encoded slash, NUL, traversal above the root)
        for (String raw : List.of("..%2F..%2Fetc%2Fpasswd", "%00", "..%00", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "../../../../../../etc/passwd", "%5C..%5C..%5Cwindows")) {
            refuse("get lead, raw id " + raw, "GET", "/api/v1/leads/" + raw + q, null, 400, "path");
        }
        // to another tenant's caller this tenant's lead and dead letter are as if absent, whether its query
        // names its own tenant or none
        for (String query : List.of("", "?tenant_id=" + otherTenant)) {
            String label = query.isEmpty() ? "" : ", naming itself";
            asOtherTenant("get lead by another tenant" + label, "GET", "/api/v1/leads/" + readLead + query, null, "lead_id");
            asOtherTenant("add message by another tenant" + label, "POST", "/api/v1/leads/" + readLead + "/messages" + query,
                    json(orderedMap("message_text", jsonString("hi " + marker))), "lead_id");
            asOtherTenant("reprocess by another tenant" + label, "POST", "/api/v1/leads/" + readLead + "/reprocess" + query,
                    "", "lead_id");
            asOtherTenant("replay by another tenant" + label, "POST", "/api/v1/ai-errors/" + errorId + "/replay" + query,
                    "", "error_id");
        }
    }

    private void asOtherTenant(String name, String method, String path, String body, String field) {
        Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "application/json");
        requests.add(new Request(name, method, path, headers, body == null ? null : utf8(body), 404, field,
                Stores.NOTHING, Map.of(), Caller.OTHER_TENANT));
    }

    // ---- query parameters -----------------------------------------------------------------------------------

    private void queryMutations() {
        // with this tenant's credential, a tenant_id other than its own (malformed ones included) is forbidden
        Map<String, String> tenants = orderedMap(
                "another tenant", enc(otherTenant),
                "upper case", enc(tenant.toUpperCase(java.util.Locale.ROOT)),
                "empty", "",
                "space", enc("a b"),
                "over 64 characters", "t".repeat(65),
                "SQL", enc("x'; DELETE FROM leads; --"),
                "SQL tautology", enc("' OR '1'='1"),
                "script", enc("<script>alert(1)</script>"),
                "NUL", "%00",
                "trailing newline", enc(tenant + "\n"),
                "leading dot", enc("../" + tenant),
                "wildcard", "%25",
                "unicode", enc("tenänt"));
        Map<String, String[]> paths = new LinkedHashMap<>();
        paths.put("list leads", new String[] {"GET", "/api/v1/leads"});
        paths.put("get lead", new String[] {"GET", "/api/v1/leads/" + readLead});
        paths.put("reprocess", new String[] {"POST", "/api/v1/leads/" + readLead + "/reprocess"});
        paths.put("list ai errors", new String[] {"GET", "/api/v1/ai-errors"});
        paths.put("replay", new String[] {"POST", "/api/v1/ai-errors/" + errorId + "/replay"});
        paths.put("add message", new String[] {"POST", "/api/v1/leads/" + readLead + "/messages"});
        paths.forEach((name, route) -> tenants.forEach((label, value) -> {
            String path = route[1] + "?tenant_id=" + value;
            String body = name.equals("add message") ? json(orderedMap("message_text", jsonString("hi " + marker))) : "";
            refuse(name + ", tenant_id " + label, route[0], path, route[0].equals("GET") ? null : body, 403, "tenant_id");
        }));
        // left out, the tenant is the credential's: every operation is valid (the writes aim at the lead to write to)
        accepted("list leads, tenant_id absent", "GET", "/api/v1/leads");
        accepted("get lead, tenant_id absent", "GET", "/api/v1/leads/" + readLead);
        accepted("list ai errors, tenant_id absent", "GET", "/api/v1/ai-errors");
        requests.add(new Request("reprocess, tenant_id absent", "POST", "/api/v1/leads/" + writeLead + "/reprocess",
                Map.of(), null, 202, null, Stores.NOTHING, Map.of()));
        Map<String, String> message = orderedMap("message_text", "hi, no tenant named " + marker);
        requests.add(new Request("add message, tenant_id absent", "POST", "/api/v1/leads/" + writeLead + "/messages",
                Map.of("Content-Type", "application/json"), utf8(json(jsonValues(message))), 202, null, Stores.MESSAGE,
                message));
        // the dead letter's one replay (any later one is 409)
        requests.add(new Request("replay, tenant_id absent", "POST", "/api/v1/ai-errors/" + errorId + "/replay",
                Map.of(), null, 202, null, Stores.REPLAY, Map.of()));
        // a repeated tenant_id is ambiguous: refused, never read as one of the two
        refuse("list leads, tenant_id twice", "GET", "/api/v1/leads?tenant_id=" + tenant + "&tenant_id=other", null, 403, "tenant_id");
        refuse("get lead, tenant_id twice", "GET", "/api/v1/leads/" + readLead + "?tenant_id=other&tenant_id=" + tenant,
                null, 403, "tenant_id");

        Map<String, String> limits = orderedMap("0", "0", "-1", "-1", "101", "101", "huge", "99999999999999999999",
                "int overflow", "2147483648", "letters", "abc", "fraction", "1.5", "exponent", "1e2", "hex", "0x10",
                "leading space", "%205", "empty", "", "NUL", "5%00", "SQL", enc("5; DROP TABLE leads"));
        limits.forEach((label, value) -> {
            refuse("list leads, limit " + label, "GET", "/api/v1/leads?tenant_id=" + tenant + "&limit=" + value, null, 400, "limit");
            refuse("list ai errors, limit " + label, "GET", "/api/v1/ai-errors?tenant_id=" + tenant + "&limit=" + value,
                    null, 400, "limit");
        });
        Map<String, String> statuses = orderedMap("unknown", "won", "upper case", "NEW", "empty", "",
                "SQL", enc("enriched' OR '1'='1"), "script", enc("<script>"), "two values", "new,enriched");
        statuses.forEach((label, value) -> refuse("list leads, status " + label, "GET",
                "/api/v1/leads?tenant_id=" + tenant + "&status=" + value, null, 400, "status"));

        String uuid = UUID.randomUUID().toString();
        Map<String, String> cursors = orderedMap(
                "garbage", "garbage",
                "not base64", "%25%25%25",
                "padding only", "====",
                "no separator", b64("1234567890"),
                "not a UUID", b64("1700000000000000_not-a-uuid"),
                "not a number", b64("abc_" + uuid),
                "number out of range", b64("99999999999999999999_" + uuid),
                "earliest instant", b64(Long.MIN_VALUE + "_" + uuid),
                "latest instant", b64(Long.MAX_VALUE + "_" + uuid),
                "before year 1", b64("-62200000000000000_" + uuid),
                "SQL", b64("1_' OR '1'='1"),
                "standard base64 alphabet", "+/+/",
                "huge", "A".repeat(5_000));
        cursors.forEach((label, value) -> refuse("list leads, after " + label, "GET",
                "/api/v1/leads?tenant_id=" + tenant + "&after=" + value, null, 400, "after"));

        // unknown parameters are ignored: these are valid, and change nothing
        accepted("list leads, unknown parameter", "GET",
                "/api/v1/leads?tenant_id=" + tenant + "&utm=" + enc("<script>alert(1)</script>"));
        accepted("list leads, limit 100", "GET", "/api/v1/leads?tenant_id=" + tenant + "&limit=100");
        accepted("list leads, status ai_failed", "GET", "/api/v1/leads?tenant_id=" + tenant + "&status=ai_failed&limit=1");
        accepted("list ai errors, limit 1", "GET", "/api/v1/ai-errors?tenant_id=" + tenant + "&limit=1");
        accepted("get lead", "GET", "/api/v1/leads/" + readLead + "?tenant_id=" + tenant);
        accepted("kafka health", "GET", "/kafka/health");
        requests.add(new Request("reprocess", "POST", "/api/v1/leads/" + writeLead + "/reprocess?tenant_id=" + tenant,
                Map.of(), null, 202, null, Stores.NOTHING, Map.of()));
        accepted("openapi", "GET", "/openapi.json");
    }

    /** Query parameters and headers named like Camel's own headers must not steer the routes. */
    private void headerInjection() {
        String list = "/api/v1/leads?tenant_id=" + tenant;
        for (String name : List.of("CamelSqlQuery", "camelsqlquery", "CamelHttpResponseCode", "CamelHttpUri",
                "CamelHttpPath", "lead_id", "kafka.OVERRIDE_TOPIC", "CamelJdbcParameters")) {
            String value = name.toLowerCase(java.util.Locale.ROOT).contains("sql")
                    ? "DELETE FROM leads" : name.contains("Code") ? "500" : name.equals("lead_id") ? readLead : "/x";
            accepted("list leads, query parameter " + name, "GET", list + "&" + enc(name) + "=" + enc(value));
            requests.add(new Request("list leads, header " + name, "GET", list, Map.of(name, value), null, 200, null,
                    Stores.NOTHING, Map.of()));
        }
        // a query parameter must not stand in for the Content-Type header
        requests.add(new Request("create lead, Content-Type as a query parameter", "POST",
                "/api/v1/leads?Content-Type=application%2Fjson", Map.of("Content-Type", "text/plain"),
                utf8(json(jsonValues(jsonEndpoints().get(0).valid()))), 415, "Content-Type", Stores.NOTHING, Map.of()));
        // and a path lead_id is the only lead_id: a query parameter of that name does not redirect the write
        refuse("add message, lead_id also as a query parameter", "POST",
                "/api/v1/leads/" + UUID.randomUUID() + "/messages?tenant_id=" + tenant + "&lead_id=" + writeLead,
                json(orderedMap("message_text", jsonString("hi " + marker))), 404, "lead_id");
    }

    // ---- methods and paths ----------------------------------------------------------------------------------

    private void wrongMethods() {
        String q = "?tenant_id=" + tenant;
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        allowed.put("/api/v1/leads" + q, List.of("GET", "POST"));
        allowed.put("/api/v1/leads/" + readLead + q, List.of("GET"));
        allowed.put("/api/v1/leads/" + readLead + "/messages" + q, List.of("POST"));
        allowed.put("/api/v1/leads/" + readLead + "/reprocess" + q, List.of("POST"));
        allowed.put("/api/v1/ai-errors" + q, List.of("GET"));
        allowed.put("/api/v1/ai-errors/" + errorId + "/replay" + q, List.of("POST"));
        allowed.put("/kafka/health", List.of("GET"));
        allowed.put("/kafka/test", List.of("POST"));
        allowed.put("/kafka/test/" + UUID.randomUUID(), List.of("GET"));
        allowed.forEach((path, methods) -> {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                if (!methods.contains(method)) {
                    String body = method.equals("GET") || method.equals("DELETE") ? null
                            : json(orderedMap("status", "\"enriched\""));
                    refuse(method + " " + path.replace(q, ""), method, path, body, 405, "method");
                }
            }
        });
    }

    private void unknownPaths() {
        for (String path : List.of("/api/v1/leads/" + readLead + "/unknown", "/api/v2/leads", "/api/v1/lead",
                "/api/v1/leads/" + readLead + "/messages/extra", "/kafka/nothing", "/api/v1/ai-errors/" + errorId,
                "/.env", "/actuator/env", "/actuator/heapdump", "/WEB-INF/web.xml")) {
            refuse("unknown path " + path, "GET", path + "?tenant_id=" + tenant, null, 404, "path");
        }
        refuse("unknown path with an encoded %", "GET", "/api/v1/leads/" + readLead + "/reprocess/..%252F..%252F?tenant_id="
                + tenant, null, 400, "path");
    }

    // ---- credentials -----------------------------------------------------------------------------------------

    /**
     * Every operation with no credential or a refused one: 401 with the error body naming the header, before any
     * route runs, so nothing is written even by a request that would otherwise be valid.
     */
    private void credentials() {
        String unsigned = new PlainJWT(TestCredentials.claims(tenant).build()).serialize();
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("no credential", Map.of());
        cases.put("empty X-API-Key", Map.of("X-API-Key", ""));
        cases.put("garbage X-API-Key", Map.of("X-API-Key", "' OR '1'='1 <script>"));
        cases.put("oversized X-API-Key", Map.of("X-API-Key", "k".repeat(6_000)));
        cases.put("garbage bearer", Map.of("Authorization", "Bearer not.a.jwt"));
        cases.put("bearer without a token", Map.of("Authorization", "Bearer "));
        cases.put("unsigned (alg none) bearer", Map.of("Authorization", "Bearer " + unsigned));
        cases.put("alg none bearer with a signature", Map.of("Authorization", "Bearer " + unsigned + "c2ln"));
        cases.put("basic authentication", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((tenant + ":secret").getBytes(StandardCharsets.UTF_8))));
        cases.put("both headers", Map.of("X-API-Key", "k".repeat(43),
                "Authorization", "Bearer " + TestCredentials.token(tenant)));
        Map<String, String> lead = jsonValues(jsonEndpoints().get(0).valid());
        String message = json(orderedMap("message_text", jsonString("hi " + marker)));
        String kafkaTest = json(jsonValues(jsonEndpoints().get(2).valid()));
        List<String[]> operations = List.of(
                new String[] {"list leads", "GET", "/api/v1/leads", null},
                new String[] {"get lead", "GET", "/api/v1/leads/" + readLead, null},
                new String[] {"create lead", "POST", "/api/v1/leads", json(lead)},
                new String[] {"add message", "POST", "/api/v1/leads/" + writeLead + "/messages", message},
                new String[] {"reprocess", "POST", "/api/v1/leads/" + writeLead + "/reprocess", ""},
                new String[] {"list ai errors", "GET", "/api/v1/ai-errors", null},
                new String[] {"replay", "POST", "/api/v1/ai-errors/" + errorId + "/replay", ""},
                new String[] {"kafka test", "POST", "/kafka/test", kafkaTest},
                new String[] {"kafka test result", "GET", "/kafka/test/" + UUID.randomUUID(), null},
                new String[] {"kafka health", "GET", "/kafka/health", null});
        cases.forEach((label, credential) -> {
            // the header the error names: Authorization for a refused bearer token, else X-API-Key (also for
            // an Authorization the API does not know, such as Basic: the API key is what is missing)
            String field = credential.getOrDefault("Authorization", "").startsWith("Bearer")
                    && !credential.containsKey("X-API-Key") ? "Authorization" : "X-API-Key";
            for (String[] operation : operations) {
                Map<String, String> headers = new LinkedHashMap<>(credential);
                if (operation[3] != null) {
                    headers.put("Content-Type", "application/json");
                }
                requests.add(new Request(operation[0] + ", " + label, operation[1], operation[2], headers,
                        operation[3] == null ? null : utf8(operation[3]), 401, field, Stores.NOTHING, Map.of(),
                        Caller.OWN_HEADERS));
            }
        });
    }

    // ---- building requests ----------------------------------------------------------------------------------

    private void refuse(String name, String method, String path, String body, int status, String field) {
        Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "application/json");
        requests.add(new Request(name, method, path, headers, body == null ? null : utf8(body), status, field,
                Stores.NOTHING, Map.of()));
    }

    private void accept(String name, JsonEndpoint endpoint, Map<String, String> sent) {
        requests.add(new Request(name, "POST", endpoint.path(), Map.of("Content-Type", "application/json"),
                utf8(json(jsonValues(sent))), endpoint.status(), null, endpoint.stores(), sent));
    }

    private void accepted(String name, String method, String path) {
        requests.add(new Request(name, method, path, Map.of(), null, 200, null, Stores.NOTHING, Map.of()));
    }

    private static Map<String, String> withoutField(Map<String, String> valid, String field) {
        Map<String, String> sent = new LinkedHashMap<>(valid);
        sent.remove(field);
        return sent;
    }

    /** Field name to the JSON text of its value. */
    private static Map<String, String> jsonValues(Map<String, String> strings) {
        Map<String, String> values = new LinkedHashMap<>();
        strings.forEach((k, v) -> values.put(k, jsonString(v)));
        return values;
    }

    private static String json(Map<String, String> values) {
        StringBuilder body = new StringBuilder("{");
        values.forEach((k, v) -> body.append(body.length() > 1 ? ", " : "").append(jsonString(k)).append(": ").append(v));
        return body.append('}').toString();
    }

    /** A JSON string literal; control characters and surrogates as \\u escapes, so a lone surrogate survives. */
    static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String b64(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
