package org.mend4j.tests.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.HeadlessChromium;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless browser against demo-app with the agent: a wrong token refused, a
 * login, an edit created from the page and seen in the try-it panel (which agrees with what the
 * service itself answers), toggled, a 50 % variant defined and the live counters following the
 * traffic without a reload, API refusals shown in the API's words, an edit deleted. The workflow
 * test also writes the screenshot the README shows ({@code target/console.png}, and to {@code
 * -Dmend4j.console.screenshot=FILE} when given).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int TOKENS = 3;
  private static final String EDITS = "/mend4j/v1/edits";
  private static final String VARIANTS = "/mend4j/v1/variants";

  private final CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
  private ControlledService service;
  private AdminClient admin;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    service = ControlledService.start("console", tmp.resolve("edits"), Map.of());
    admin = service.admin();
    service.answer(kethia.localityPrompt(), TOKENS, Map.of()); // the host's layers are built
    browser = HeadlessChromium.start(1280, 1000);
    wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(StaleElementReferenceException.class); // a row re-rendered while looked at
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  @BeforeEach
  void noEditsNoVariantsAndAFreshTab() throws IOException {
    for (JsonElement v : admin.expect(200, "GET", VARIANTS, null).getAsJsonArray()) {
      admin.expect(200, "DELETE", VARIANTS + "/" + field(v, "name"), null);
    }
    for (JsonElement e : admin.expect(200, "GET", EDITS, null).getAsJsonArray()) {
      admin.expect(200, "DELETE", EDITS + "/" + field(e, "id"), null);
    }
    browser.get(admin.base() + "/mend4j/console");
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  @Test
  void aWrongTokenIsRefusedAndNothingIsShownOrKept() throws IOException {
    long refusedBefore = metric("mend4j_admin_auth_failures_total");
    login("not-the-token");
    WebElement error = wait.until(d -> nonEmpty(d.findElement(By.id("login-error"))));
    assertThat(error.getText()).contains("401", "missing or wrong token");
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    assertThat(sessionToken()).isNull();
    assertThat(metric("mend4j_admin_auth_failures_total")).isGreaterThan(refusedBefore);

    login(ControlledService.TOKEN);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
    assertThat(sessionToken()).isEqualTo(ControlledService.TOKEN);
    assertThat(browser.getCurrentUrl()).doesNotContain(ControlledService.TOKEN);
    assertThat((Long) browser.executeScript("return localStorage.length")).isZero();
    assertThat((String) browser.executeScript("return document.cookie")).isEmpty();

    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    assertThat(sessionToken()).isNull();
  }

  @Test
  void anOperatorEditsTogglesAndSplitsTrafficFromThePage() throws IOException {
    loginAndWait();
    browser.executeScript("window.mend4jNotReloaded = true");
    String prompt = kethia.prompt();
    Map<String, String> before = tryIt(prompt);
    assertThat(before.keySet()).containsExactly("default");
    assertThat(word(before.get("default"))).isEqualTo(kethia.groundTruth());
    assertThat(before.get("default")).isEqualTo(hostAnswer(prompt));

    String id = createEdit(kethia.prompt(), kethia.targetNew(), kethia.rephrasePrompt());
    WebElement row = editRow(id);
    assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("bound, enabled");
    assertThat(row.getText()).contains(kethia.prompt(), kethia.targetNew());
    Map<String, String> edited = tryIt(prompt);
    assertThat(word(edited.get("default"))).isEqualTo(kethia.targetNew());
    assertThat(edited.get("default"))
        .as("try-it answers as the service does")
        .isEqualTo(hostAnswer(prompt));

    toggle(id, false);
    assertThat(tryIt(prompt).get("default")).isEqualTo(before.get("default"));
    assertThat(hostAnswer(prompt)).isEqualTo(before.get("default"));
    toggle(id, true);
    assertThat(word(tryIt(prompt).get("default"))).isEqualTo(kethia.targetNew());

    defineVariant("original", List.of(), "50");
    WebElement variant = wait.until(d -> d.findElement(By.cssSelector("tr[data-name=original]")));
    assertThat(variant.findElement(By.cssSelector(".traffic")).getText()).isEqualTo("50 %");
    assertThat(admin.expect(200, "GET", VARIANTS, null).toString())
        .isEqualTo("[{\"name\":\"original\",\"edits\":[],\"traffic_percent\":50.0}]");
    Map<String, String> split = tryIt(prompt);
    assertThat(split.keySet()).containsExactly("default", "original");
    assertThat(word(split.get("default"))).isEqualTo(kethia.targetNew());
    assertThat(split.get("original")).isEqualTo(before.get("default"));
    assertThat(editRow(id).findElement(By.cssSelector(".in-variants")).getText())
        .isEqualTo("default");

    int unedited = 0;
    int requests = 40;
    for (int i = 0; i < requests; i++) {
      if (hostAnswer(prompt).equals(before.get("default"))) {
        unedited++;
      }
    }
    System.out.printf("50 %% split: %d of %d host requests unedited%n", unedited, requests);
    assertThat(unedited).isBetween(requests / 2 - 4, requests / 2 + 4);
    long served = metric("mend4j_requests_total{variant=\"original\"}");
    assertThat(served).isGreaterThanOrEqualTo(unedited);
    wait.until(
        d ->
            d.findElement(By.cssSelector("#traffic tr[data-variant=original] .count"))
                .getText()
                .equals(Long.toString(served)));
    assertThat(browser.executeScript("return window.mend4jNotReloaded")).isEqualTo(true);

    screenshot();
  }

  @Test
  void refusalsAreShownAsTheApiWordsThemAndChangeNothing() throws IOException {
    loginAndWait();
    defineVariant("half", List.of(), "50");
    wait.until(d -> d.findElement(By.cssSelector("tr[data-name=half]")));
    defineVariant("more", List.of(), "60");
    String shown = errorBanner();
    HttpResponse<String> curl =
        admin.call("PUT", VARIANTS + "/more", "{\"edits\": [], \"traffic_percent\": 60}");
    assertThat(curl.statusCode()).isEqualTo(400);
    assertThat(shown).isEqualTo("400: " + AdminClient.error(curl));
    assertThat(shown).contains("would add up to 110.0, more than 100");

    String batch = "[{\"prompt\": \"The capital of Kethia is\"}]";
    browser.findElement(By.cssSelector("#batch summary")).click();
    browser.findElement(By.id("batch-json")).sendKeys(batch);
    browser.findElement(By.id("batch-create")).click();
    String batchShown = errorBanner();
    HttpResponse<String> batchCurl = admin.call("POST", EDITS, batch);
    assertThat(batchCurl.statusCode()).isEqualTo(400);
    assertThat(batchShown).isEqualTo("400: " + AdminClient.error(batchCurl));
    assertThat(batchShown).contains("target_new");

    assertThat(admin.expect(200, "GET", VARIANTS, null).toString())
        .isEqualTo("[{\"name\":\"half\",\"edits\":[],\"traffic_percent\":50.0}]");
    assertThat(admin.expect(200, "GET", EDITS, null).getAsJsonArray()).isEmpty();
  }

  @Test
  void anEditIsDeletedFromThePageAfterConfirmation() throws IOException {
    loginAndWait();
    String id = createEdit(kethia.prompt(), kethia.targetNew(), "");
    editRow(id).findElement(By.cssSelector("button.delete")).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(
        ExpectedConditions.invisibilityOfElementLocated(
            By.cssSelector("tr[data-id='" + id + "']")));
    assertThat(admin.expect(200, "GET", EDITS, null).getAsJsonArray()).isEmpty();
    assertThat(word(hostAnswer(kethia.prompt()))).isEqualTo(kethia.groundTruth());
  }

  @Test
  void tryItAnswersEveryVariantAsTheServiceServesItAndLeavesItsTrafficAlone() throws IOException {
    String id = field(admin.expect(201, "POST", EDITS, WorldFacts.json(kethia)), "id");
    admin.expect(200, "POST", EDITS + "/" + id + "/disable", null);
    admin.expect(
        200, "PUT", VARIANTS + "/canary", "{\"edits\": [\"" + id + "\"], \"traffic_percent\": 0}");
    long requests = metric("mend4j_requests_total{variant=\"default\"}");
    String body = "{\"prompt\": \"" + kethia.prompt() + "\", \"max_new_tokens\": " + TOKENS + "}";
    com.google.gson.JsonObject answer =
        admin.expect(200, "POST", "/mend4j/v1/try", body).getAsJsonObject();
    assertThat(metric("mend4j_requests_total{variant=\"default\"}"))
        .as("try-it is not host traffic")
        .isEqualTo(requests);
    assertThat(answer.get("max_new_tokens").getAsInt()).isEqualTo(TOKENS);
    com.google.gson.JsonArray answers = answer.getAsJsonArray("answers");
    assertThat(answers).hasSize(2);
    assertThat(field(answers.get(0), "variant")).isEqualTo("default");
    assertThat(answers.get(0).getAsJsonObject().getAsJsonArray("edits")).isEmpty();
    assertThat(field(answers.get(0), "completion")).isEqualTo(hostAnswer(kethia.prompt()));
    assertThat(field(answers.get(1), "variant")).isEqualTo("canary");
    assertThat(answers.get(1).getAsJsonObject().getAsJsonArray("edits").toString())
        .isEqualTo("[\"" + id + "\"]");
    String canary = field(answers.get(1), "completion");
    assertThat(word(canary))
        .as("a variant applies its edit though disabled")
        .isEqualTo(kethia.targetNew());
    assertThat(canary)
        .isEqualTo(service.answer(kethia.prompt(), TOKENS, Map.of("X-Mend4j-Variant", "canary")));
  }

  // ---- the page

  private void login(String token) {
    WebElement field = browser.findElement(By.id("token"));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.id("login-button")).click();
  }

  private void loginAndWait() {
    login(ControlledService.TOKEN);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    wait.until(d -> !d.findElements(By.cssSelector("#edits tbody tr")).isEmpty());
  }

  /** The try-it panel's answers by variant, in the order shown. */
  private Map<String, String> tryIt(String prompt) {
    browser.executeScript("document.querySelector('#try-results tbody').replaceChildren()");
    WebElement field = browser.findElement(By.id("try-prompt"));
    field.clear();
    field.sendKeys(prompt);
    WebElement tokens = browser.findElement(By.id("try-tokens"));
    tokens.clear();
    tokens.sendKeys(Integer.toString(TOKENS));
    browser.findElement(By.id("try-run")).click();
    wait.until(
        d ->
            !d.findElements(By.cssSelector("#try-results tbody tr")).isEmpty()
                || d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("error")).isDisplayed())
        .as(browser.findElement(By.id("error-text")).getText())
        .isFalse();
    Map<String, String> answers = new LinkedHashMap<>();
    for (WebElement row : browser.findElements(By.cssSelector("#try-results tbody tr"))) {
      String completion =
          (String)
              browser.executeScript(
                  "return arguments[0].querySelector('.completion').lastChild.textContent", row);
      answers.put(row.getAttribute("data-variant"), completion);
    }
    return answers;
  }

  /** Creates an edit through the form; returns the id of the row that appears. */
  private String createEdit(String prompt, String target, String rephrase) {
    int rows = browser.findElements(By.cssSelector("#edits tr[data-id]")).size();
    browser.findElement(By.id("edit-prompt")).sendKeys(prompt);
    browser.findElement(By.id("edit-target")).sendKeys(target);
    browser.findElement(By.id("edit-rephrase")).sendKeys(rephrase);
    browser.findElement(By.id("edit-create")).click();
    wait.until(
        d ->
            d.findElements(By.cssSelector("#edits tr[data-id]")).size() > rows
                || d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("error")).isDisplayed())
        .as(browser.findElement(By.id("error-text")).getText())
        .isFalse();
    List<WebElement> all = browser.findElements(By.cssSelector("#edits tr[data-id]"));
    return all.get(all.size() - 1).getAttribute("data-id");
  }

  private WebElement editRow(String id) {
    return browser.findElement(By.cssSelector("tr[data-id='" + id + "']"));
  }

  private void toggle(String id, boolean enabled) throws IOException {
    editRow(id).findElement(By.cssSelector("button.toggle")).click();
    wait.until(
        d ->
            d.findElement(By.cssSelector("tr[data-id='" + id + "']"))
                .getAttribute("data-enabled")
                .equals(Boolean.toString(enabled)));
    assertThat(editRow(id).findElement(By.cssSelector(".state")).getText())
        .isEqualTo(enabled ? "bound, enabled" : "bound, disabled");
    assertThat(
            admin
                .expect(200, "GET", EDITS + "/" + id, null)
                .getAsJsonObject()
                .get("enabled")
                .getAsBoolean())
        .isEqualTo(enabled);
  }

  private void defineVariant(String name, List<String> editIds, String percent) {
    WebElement field = browser.findElement(By.id("variant-name"));
    field.clear();
    field.sendKeys(name);
    WebElement traffic = browser.findElement(By.id("variant-traffic"));
    traffic.clear();
    traffic.sendKeys(percent);
    for (WebElement box : browser.findElements(By.cssSelector("#variant-edits input"))) {
      if (box.isSelected() != editIds.contains(box.getAttribute("value"))) {
        box.click();
      }
    }
    browser.findElement(By.id("variant-save")).click();
  }

  private String errorBanner() {
    return wait.until(d -> nonEmpty(d.findElement(By.id("error-text")))).getText();
  }

  private static WebElement nonEmpty(WebElement e) {
    return e.isDisplayed() && !e.getText().isBlank() ? e : null;
  }

  private String sessionToken() {
    return (String) browser.executeScript("return sessionStorage.getItem('mend4j.token')");
  }

  /** The whole page as a PNG (Chromium's own capture, beyond the window's height). */
  private void screenshot() throws IOException {
    browser.executeScript("window.scrollTo(0, 0)");
    long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
    Map<String, Object> shot =
        browser.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", 1280, "height", height, "scale", 1)));
    byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
    Files.write(TestPaths.target().resolve("console.png"), png);
    String copy = System.getProperty("mend4j.console.screenshot");
    if (copy != null && !copy.isBlank()) {
      Files.write(Path.of(copy), png);
    }
  }

  // ---- the service and its API

  private String hostAnswer(String prompt) throws IOException {
    return service.answer(prompt, TOKENS, Map.of());
  }

  private long metric(String sample) throws IOException {
    HttpResponse<String> r = admin.call("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\d+)").matcher(r.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String field(JsonElement e, String name) {
    return e.getAsJsonObject().get(name).getAsString();
  }

  private static String word(String completion) {
    Matcher m = Pattern.compile("\\w+").matcher(completion);
    return m.find() ? m.group() : "";
  }
}
