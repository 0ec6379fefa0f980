package org.privateprocessing.core;

import java.util.ArrayList;
import java.util.List;
import org.privateprocessing.api.Problem;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

/** Builds the Binary HTTP responses that travel inside an encapsulation layer. */
public final class BinaryResponses {
  public static final String JSON = "application/json";

  private BinaryResponses() {}

  public static BinaryHttpResponse ok(String contentType, byte[] body) {
    return BinaryHttpResponse.of(200, List.of(new Field("content-type", contentType)), body);
  }

  /** A problem response; a 401/503's extra headers come from the exception. */
  public static BinaryHttpResponse problem(PipelineException e) {
    List<Field> headers = new ArrayList<>();
    headers.add(new Field("content-type", Problem.MEDIA_TYPE));
    e.headers().forEach((name, value) -> headers.add(new Field(name, value)));
    return BinaryHttpResponse.of(e.status(), headers, e.problem().encode());
  }

  public static BinaryHttpResponse problem(Throwable t) {
    return problem(Problems.toPipelineException(t));
  }
}
