import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Starts Amazon's DynamoDB Local listening on one interface only (loopback by default).
 *
 * DynamoDB Local has no option for the address it listens on: its Jetty server binds every interface, and
 * it accepts any credentials, so anyone on the network could read and write the data. This launcher builds
 * the server exactly as DynamoDB Local's own main does (same command-line options), sets the host of its
 * connectors, then starts it. It is run as a single-file source program (`java LoopbackDynamoDBLocal.java`),
 * so no compiled class is kept in the repository; it reaches DynamoDB Local's classes by reflection only.
 *
 * Usage: java -Dpledgewatch.host=127.0.0.1 -cp DynamoDBLocal.jar LoopbackDynamoDBLocal.java [DynamoDB Local options]
 */
public final class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("pledgewatch.host", "127.0.0.1");
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Method create = runner.getMethod("createServerFromCommandLineArgs", String[].class);
    Object proxy = create.invoke(null, (Object) args);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, host);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    System.out.println("DynamoDB Local listening on " + host);
  }
}
