package org.mend4j.springapp;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.mend4j.demoapp.http.BadRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;

/**
 * Every refusal as {@code {"error": MESSAGE}}, the shape the service's clients know: the request
 * checks' own status and message, 405 with {@code Allow} for a wrong method, 404 for an unknown
 * path, 500 when generation fails.
 */
@RestControllerAdvice
class ErrorAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

  @ExceptionHandler(BadRequestException.class)
  ResponseEntity<Map<String, String>> refused(BadRequestException e) {
    return error(HttpStatus.valueOf(e.status()), e.getMessage());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, String>> wrongMethod(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    String allowed = String.join(", ", e.getSupportedMethods());
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
        .header("Allow", allowed)
        .body(Map.of("error", "use " + allowed + " for " + request.getRequestURI()));
  }

  @ExceptionHandler(NoHandlerFoundException.class)
  ResponseEntity<Map<String, String>> unknownPath(NoHandlerFoundException e) {
    return error(HttpStatus.NOT_FOUND, "no such endpoint: " + e.getRequestURL());
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<Map<String, String>> failed(RuntimeException e) {
    LOG.error("generation failed", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "generation failed: " + e);
  }

  private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(Map.of("error", message));
  }
}
