import Foundation

/// Where the bundled templates, static files and OpenAPI document are.
enum WebResources {
    static var resourceDirectory: String { Bundle.module.resourcePath ?? "." }
    static var viewsDirectory: String { resourceDirectory + "/Views/" }
    static var publicDirectory: String { resourceDirectory + "/Public/" }
    static var openAPIDocumentURL: URL { URL(fileURLWithPath: resourceDirectory + "/openapi.json") }
}
