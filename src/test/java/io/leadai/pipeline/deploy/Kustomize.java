package io.leadai.pipeline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for what the project's manifests use:
 * resources (files and directories), configMapGenerator (literals, files, merge), strategic-merge patches
 * (with or without a target kind/name, {@code $patch: delete}), images, replicas, namespace and labels.
 * Generated names carry no hash suffix here; {@link #kubectl} output is normalised the same way, so both
 * renderings compare equal.
 */
final class Kustomize {

    /** The suffix kustomize appends to a generated ConfigMap's name. */
    private static final Pattern HASH_SUFFIX = Pattern.compile("-[a-z0-9]{10}$");

    /** Strategic-merge keys of the lists the manifests patch; any other list is replaced whole. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name", "initContainers", "name", "env", "name", "volumes", "name",
            "volumeMounts", "mountPath");

    private static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    private Kustomize() {
    }

    /** {@code kubectl kustomize dir}, when kubectl is on the PATH (and not {@code -Dkustomize=parser}). */
    static Optional<List<Map<String, Object>>> kubectl(Path dir) {
        if ("parser".equals(System.getProperty("kustomize"))) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed");
            }
            List<Map<String, Object>> resources = loadAll(out);
            resources.forEach(Kustomize::stripGeneratedSuffixes);
            return Optional.of(resources);
        } catch (IOException e) {
            return Optional.empty(); // no kubectl here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> kustomization = (Map<String, Object>) loadAll(read(dir.resolve("kustomization.yaml"))).get(0);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (String entry : strings(kustomization.get("resources"))) {
            Path path = dir.resolve(entry).normalize();
            resources.addAll(Files.isDirectory(path) ? render(path) : loadAll(read(path)));
        }
        for (Map<String, Object> generator : maps(kustomization.get("configMapGenerator"))) {
            generate(dir, generator, resources);
        }
        for (Map<String, Object> patch : maps(kustomization.get("patches"))) {
            String text = patch.containsKey("path") ? read(dir.resolve((String) patch.get("path")))
                    : (String) patch.get("patch");
            Map<String, Object> target = (Map<String, Object>) patch.get("target");
            for (Map<String, Object> document : loadAll(text)) {
                applyPatch(document, target, resources);
            }
        }
        for (Map<String, Object> image : maps(kustomization.get("images"))) {
            resources.forEach(resource -> containers(resource).forEach(container -> retag(container, image)));
        }
        for (Map<String, Object> replicas : maps(kustomization.get("replicas"))) {
            resources.stream().filter(r -> "Deployment".equals(r.get("kind")) && replicas.get("name").equals(name(r)))
                    .forEach(r -> ((Map<String, Object>) r.get("spec")).put("replicas", replicas.get("count")));
        }
        for (Map<String, Object> labels : maps(kustomization.get("labels"))) {
            Map<String, Object> pairs = (Map<String, Object>) labels.get("pairs");
            for (Map<String, Object> resource : resources) {
                child(metadata(resource), "labels").putAll(pairs);
                if (Boolean.TRUE.equals(labels.get("includeTemplates")) && WORKLOADS.contains(resource.get("kind"))) {
                    Map<String, Object> template = child(child(resource, "spec"), "template");
                    child(child(template, "metadata"), "labels").putAll(pairs);
                }
            }
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            resources.stream().filter(r -> !"Namespace".equals(r.get("kind")))
                    .forEach(r -> metadata(r).put("namespace", namespace));
        }
        return resources;
    }

    static String name(Map<String, Object> resource) {
        return (String) metadata(resource).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("metadata");
    }

    /** The containers of a workload's pod template (none for other kinds). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> resource) {
        if (!WORKLOADS.contains(resource.get("kind"))) {
            return List.of();
        }
        Map<String, Object> pod = podSpec(resource);
        List<Map<String, Object>> containers = new ArrayList<>(maps(pod.get("containers")));
        containers.addAll(maps(pod.get("initContainers")));
        return containers;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) workload.get("spec"))
                .get("template")).get("spec");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static void generate(Path dir, Map<String, Object> generator, List<Map<String, Object>> resources) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String literal : strings(generator.get("literals"))) {
            int equals = literal.indexOf('=');
            data.put(literal.substring(0, equals), literal.substring(equals + 1));
        }
        for (String file : strings(generator.get("files"))) {
            data.put(Path.of(file).getFileName().toString(), read(dir.resolve(file)));
        }
        String name = (String) generator.get("name");
        if ("merge".equals(generator.get("behavior"))) {
            Map<String, Object> existing = resources.stream()
                    .filter(r -> "ConfigMap".equals(r.get("kind")) && name.equals(name(r))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no ConfigMap " + name + " to merge into"));
            ((Map<String, Object>) existing.get("data")).putAll(data);
            return;
        }
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        configMap.put("data", data);
        resources.add(configMap);
    }

    private static void applyPatch(Map<String, Object> patch, Map<String, Object> target,
                                   List<Map<String, Object>> resources) {
        Object kind = target != null ? target.get("kind") : patch.get("kind");
        Object name = target != null ? target.get("name") : name(patch);
        List<Map<String, Object>> matched = resources.stream()
                .filter(r -> kind == null || kind.equals(r.get("kind")))
                .filter(r -> name == null || name.equals(name(r)))
                .toList();
        if (matched.isEmpty()) {
            throw new IllegalStateException("patch matches nothing: " + kind + "/" + name);
        }
        if ("delete".equals(patch.get("$patch"))) {
            resources.removeAll(matched);
            return;
        }
        for (Map<String, Object> resource : matched) {
            Map<String, Object> body = new LinkedHashMap<>(patch);
            body.remove("metadata"); // a targeted patch's own name means nothing
            body.remove("apiVersion");
            body.remove("kind");
            merge(resource, body);
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object existing = into.get(key);
            if (existing instanceof Map && value instanceof Map) {
                merge((Map<String, Object>) existing, (Map<String, Object>) value);
            } else if (existing instanceof List && value instanceof List && MERGE_KEYS.containsKey(key)) {
                into.put(key, mergeList((List<Map<String, Object>>) existing, (List<Map<String, Object>>) value,
                        MERGE_KEYS.get(key)));
            } else {
                into.put(key, copy(value));
            }
        });
    }

    /** Elements new to the list come first, in the patch's order, as kustomize puts them. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> mergeList(List<Map<String, Object>> existing,
                                                       List<Map<String, Object>> patch, String key) {
        List<Map<String, Object>> merged = new ArrayList<>();
        for (Map<String, Object> element : patch) {
            if (existing.stream().noneMatch(e -> Objects.equals(e.get(key), element.get(key)))) {
                merged.add((Map<String, Object>) copy(element));
            }
        }
        for (Map<String, Object> element : existing) {
            patch.stream().filter(p -> Objects.equals(p.get(key), element.get(key))).findFirst()
                    .ifPresent(p -> merge(element, p));
            merged.add(element);
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(Kustomize::copy).toList());
        }
        return value;
    }

    private static void retag(Map<String, Object> container, Map<String, Object> image) {
        String reference = (String) container.get("image");
        int colon = reference.lastIndexOf(':');
        String repository = colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference;
        String tag = colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : null;
        if (!repository.equals(image.get("name"))) {
            return;
        }
        String newName = image.containsKey("newName") ? (String) image.get("newName") : repository;
        String newTag = image.containsKey("newTag") ? String.valueOf(image.get("newTag")) : tag;
        container.put("image", newTag == null ? newName : newName + ":" + newTag);
    }

    @SuppressWarnings("unchecked")
    private static void stripGeneratedSuffixes(Map<String, Object> resource) {
        if ("ConfigMap".equals(resource.get("kind"))) {
            metadata(resource).put("name", HASH_SUFFIX.matcher(name(resource)).replaceFirst(""));
        }
        if (!WORKLOADS.contains(resource.get("kind"))) {
            return;
        }
        for (Map<String, Object> volume : maps(podSpec(resource).get("volumes"))) {
            if (volume.get("configMap") instanceof Map<?, ?> configMap) {
                ((Map<String, Object>) configMap).put("name",
                        HASH_SUFFIX.matcher((String) configMap.get("name")).replaceFirst(""));
            }
        }
        for (Map<String, Object> container : containers(resource)) {
            for (Map<String, Object> source : maps(container.get("envFrom"))) {
                if (source.get("configMapRef") instanceof Map<?, ?> ref) {
                    ((Map<String, Object>) ref).put("name", HASH_SUFFIX.matcher((String) ref.get("name")).replaceFirst(""));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
