package org.mend4j.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromium-driver}: both named
 * by explicit paths, so Selenium Manager never looks for (or downloads) a browser or driver, and a
 * fresh profile per browser, so nothing carries over between tests. The paths can be moved with
 * {@code -Dmend4j.chromium=PATH} and {@code -Dmend4j.chromedriver=PATH}; if either is missing the
 * test fails, saying what to install.
 */
public final class HeadlessChromium {

  private HeadlessChromium() {}

  /** A new headless browser with a window of {@code width x height} pixels. */
  public static ChromeDriver start(int width, int height) throws IOException {
    Path browser = executable("mend4j.chromium", "/usr/bin/chromium");
    Path driver = executable("mend4j.chromedriver", "/usr/bin/chromedriver");
    Path profile = Files.createTempDirectory(TestPaths.target(), "chromium-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driver.toFile())
            .usingAnyFreePort()
            .withLogFile(TestPaths.target().resolve("chromedriver.log").toFile())
            .build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return chrome;
  }

  private static Path executable(String property, String fallback) {
    Path path = Path.of(System.getProperty(property, fallback));
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          path
              + " is not an executable: install Debian's chromium and chromium-driver (apt-get"
              + " install -y chromium chromium-driver; .ci/run does it on CI) or name them with -D"
              + property
              + "=PATH");
    }
    return path;
  }
}
