import Metrics
import Prometheus
import Vapor

/// Prometheus metrics. Vapor's responder reports `http_requests_total` and
/// `http_request_duration_seconds` by method, route pattern and status once a metrics
/// system is bootstrapped; this bootstraps one (once per process) and serves it.
public enum TaizhangMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func render(_ req: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: registry.emitToString()))
    }
}
