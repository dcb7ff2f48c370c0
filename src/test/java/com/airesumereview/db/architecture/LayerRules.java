package com.airesumereview.db.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layering the conventions ask for, as a checker that returns its findings (so that it can itself be tested on
 * fixtures): core packages (the root package, {@code domain}, {@code repository}) never depend on tool packages
 * ({@code cli}, {@code codegen}, {@code provisioning}, {@code testing}, {@code audit}, {@code spring}) nor on Spring
 * ({@code org.springframework}, an optional dependency reached only through {@code internal}), and no public member
 * of a public API type (core, and the Spring Boot auto-configuration's {@code spring}) mentions a type from an
 * {@code internal} package.
 */
final class LayerRules {
    static final String ROOT = "com.airesumereview.db";
    static final List<String> CORE = List.of(ROOT, ROOT + ".domain", ROOT + ".repository");
    static final List<String> TOOLS = List.of("cli", "codegen", "provisioning", "testing", "audit", "spring", "review",
            "atlas", "usage");
    /** Packages whose public types are the library's promise: core and the Spring Boot auto-configuration. */
    static final List<String> API = List.of(ROOT, ROOT + ".domain", ROOT + ".repository", ROOT + ".spring");

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern TOOL_REFERENCE = Pattern.compile(
            "\\b" + Pattern.quote(ROOT) + "\\.(" + String.join("|", TOOLS) + ")\\.[\\w.*]+");
    private static final Pattern SPRING_REFERENCE = Pattern.compile("\\borg\\.springframework\\.[\\w.*]+");

    private LayerRules() {
    }

    /** Whether {@code packageName} is core (exactly one of {@link #CORE}; sub-packages such as root.internal are not). */
    static boolean isCore(String packageName) {
        return CORE.contains(packageName);
    }

    static boolean isInternal(String packageName) {
        return packageName.equals(ROOT + ".internal") || packageName.contains(".internal.")
                || packageName.endsWith(".internal");
    }

    /**
     * Every reference from a core source file under {@code sourceRoot} to a tool package, as
     * {@code "path: type"}; imports and fully qualified names in code count, comments do not.
     */
    static List<String> toolReferencesInCore(Path sourceRoot) {
        return referencesInCore(sourceRoot, TOOL_REFERENCE);
    }

    /** Every reference from a core source file to Spring ({@code org.springframework}), as {@code "path: type"}. */
    static List<String> springReferencesInCore(Path sourceRoot) {
        return referencesInCore(sourceRoot, SPRING_REFERENCE);
    }

    private static List<String> referencesInCore(Path sourceRoot, Pattern reference) {
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find() || !isCore(pkg.group(1))) {
                    continue;
                }
                Matcher ref = reference.matcher(withoutComments(source));
                Set<String> seen = new LinkedHashSet<>();
                while (ref.find()) {
                    seen.add(ref.group());
                }
                for (String type : seen) {
                    findings.add(sourceRoot.relativize(file).toString().replace('\\', '/') + ": " + type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return findings;
    }

    /** The source with block comments, line comments and string literals blanked (good enough for Java sources). */
    static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("//[^\\n]*", " ");
    }

    /**
     * Every public or protected member of {@code type} (and of its public nested types) whose signature mentions an
     * internal type, as {@code "Type.member: internal type"}; empty when {@code type} is not public.
     */
    static List<String> internalTypesInPublicSignatures(Class<?> type) {
        List<String> findings = new ArrayList<>();
        if (!Modifier.isPublic(type.getModifiers())) {
            return findings;
        }
        String owner = type.getName().substring(type.getPackageName().length() + 1);
        check(owner + " extends", type.getGenericSuperclass(), findings);
        for (Type i : type.getGenericInterfaces()) {
            check(owner + " implements", i, findings);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers())) {
                check(owner + "." + f.getName(), f.getGenericType(), findings);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers())) {
                checkExecutable(owner + ".<init>", c, findings);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                check(owner + "." + m.getName() + " returns", m.getGenericReturnType(), findings);
                checkExecutable(owner + "." + m.getName(), m, findings);
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            findings.addAll(internalTypesInPublicSignatures(nested));
        }
        return findings;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkExecutable(String where, Executable e, List<String> findings) {
        for (Type p : e.getGenericParameterTypes()) {
            check(where + " parameter", p, findings);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(where + " throws", x, findings);
        }
    }

    private static void check(String where, Type type, List<String> findings) {
        for (Class<?> c : mentioned(type, new LinkedHashSet<>())) {
            if (isInternal(c.getPackageName())) {
                findings.add(where + ": " + c.getName());
            }
        }
    }

    private static Set<Class<?>> mentioned(Type type, Set<Class<?>> into) {
        if (type instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            if (!base.isPrimitive()) {
                into.add(base);
            }
        } else if (type instanceof ParameterizedType p) {
            mentioned(p.getRawType(), into);
            for (Type a : p.getActualTypeArguments()) {
                mentioned(a, into);
            }
        } else if (type instanceof GenericArrayType g) {
            mentioned(g.getGenericComponentType(), into);
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                mentioned(b, into);
            }
            for (Type b : w.getLowerBounds()) {
                mentioned(b, into);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                if (b != Object.class) {
                    mentioned(b, into);
                }
            }
        }
        return into;
    }

    /** The top-level types declared by the core packages' source files under {@code sourceRoot}. */
    static List<String> coreTypeNames(Path sourceRoot) {
        return typeNames(sourceRoot, CORE);
    }

    /** The top-level types declared by the API packages' ({@link #API}) source files under {@code sourceRoot}. */
    static List<String> apiTypeNames(Path sourceRoot) {
        return typeNames(sourceRoot, API);
    }

    private static List<String> typeNames(Path sourceRoot, List<String> packages) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.equals("package-info.java")) {
                    continue;
                }
                Matcher pkg = PACKAGE.matcher(Files.readString(file));
                if (pkg.find() && packages.contains(pkg.group(1))) {
                    names.add(pkg.group(1) + "." + fileName.substring(0, fileName.length() - ".java".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
