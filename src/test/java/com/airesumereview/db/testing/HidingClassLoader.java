package com.airesumereview.db.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The test classpath minus the jars of one optional dependency, parent-last on the platform loader, recording every
 * class of that dependency anything asks it for: how the tests prove that the library runs without Micrometer, or
 * without Spring, and never reaches for it.
 */
public final class HidingClassLoader extends URLClassLoader {
    private final String hiddenPackage;
    private final List<String> requested = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param hiddenPath    a fragment of the hidden jars' paths in the local repository, e.g. {@code /io/micrometer/}
     * @param hiddenPackage the hidden classes' package prefix, e.g. {@code io.micrometer.}
     * @throws IllegalStateException when the classpath holds no such jar (the test would prove nothing)
     */
    public HidingClassLoader(String hiddenPath, String hiddenPackage) throws MalformedURLException {
        super("without-" + hiddenPackage, classpathWithout(hiddenPath), ClassLoader.getPlatformClassLoader());
        this.hiddenPackage = hiddenPackage;
    }

    /** The hidden dependency's classes that were asked for, in order. */
    public List<String> requested() {
        return requested;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(hiddenPackage)) {
            requested.add(name);
        }
        return super.loadClass(name, resolve);
    }

    /** Whether this loader (not a parent) has loaded {@code name}. */
    public boolean loadedLibraryClass(String name) {
        return findLoadedClass(name) != null;
    }

    private static URL[] classpathWithout(String hiddenPath) throws MalformedURLException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        boolean hidSome = false;
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.replace('\\', '/').contains(hiddenPath)) {
                hidSome = true;
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        if (!hidSome) {
            throw new IllegalStateException("the test classpath had no " + hiddenPath + " jar to hide: " + classpath);
        }
        return urls.toArray(URL[]::new);
    }
}
