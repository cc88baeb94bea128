package dev.tracelake.testing;

import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** For tests that count or note the requests an AWS SDK client sends to an emulator. */
public final class SentRequests {
  private SentRequests() {}

  /** An interceptor handing each request the client sends, before it is sent, to the listener. */
  public static ExecutionInterceptor to(Consumer<SdkRequest> listener) {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        listener.accept(context.request());
      }
    };
  }
}
