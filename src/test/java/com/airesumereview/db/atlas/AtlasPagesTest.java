package com.airesumereview.db.atlas;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.usage.SchemaUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atlas's pages without a browser: text from the database never becomes markup. */
class AtlasPagesTest {
    @Test
    void commentsDefaultsAndNamesAreHtmlEscapedOnEveryPage(@TempDir Path dir) throws Exception {
        HeadlessChromium.requireTool(Graphviz.dot().isPresent(), "Graphviz's dot (apt-get install graphviz)");
        String hostile = "<script>alert('x')</script> & \"quoted\"";
        SchemaModel model = new SchemaModel("public", List.of(),
                List.of(new SchemaModel.Table("notes", hostile, List.of(
                        new SchemaModel.Column("body", 1, "text", false, "'<b>'::text", null, null, hostile)))),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        SchemaAtlas.of(model, SchemaUsage.withoutPlans("public")).writeTo(dir);

        for (Path page : List.of(dir.resolve("index.html"), dir.resolve("tables/notes.html"))) {
            String html = Files.readString(page);
            assertThat(html).as("%s", page.getFileName()).doesNotContain("<script>", "<b>")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
        }
        assertThat(Files.readString(dir.resolve("tables/notes.html"))).contains("&#39;&lt;b&gt;&#39;::text");
    }
}
