import Foundation

/// Checks real responses against the served OpenAPI document, strictly: every required
/// property present, no property the document does not describe, every type and enum
/// as declared. A mismatch names the JSON path where it was found.
public struct OpenAPIValidator {
    public struct Violation: Error, CustomStringConvertible {
        public var description: String
    }

    let document: [String: Any]

    public init(data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Violation(description: "OpenAPI document is not an object")
        }
        document = root
    }

    /// Every (METHOD, /path/{param}) the document describes.
    public var operations: Set<String> {
        var result = Set<String>()
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        for (path, item) in paths {
            for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                result.insert("\(method.uppercased()) \(path)")
            }
        }
        return result
    }

    public func validate(body: Data, method: String, path: String, status: Int) throws {
        guard let operation = (document["paths"] as? [String: Any])?[path] as? [String: Any],
              let op = operation[method.lowercased()] as? [String: Any],
              let responses = op["responses"] as? [String: Any] else {
            throw Violation(description: "\(method) \(path) is not in the document")
        }
        guard var response = responses[String(status)] as? [String: Any] else {
            throw Violation(description: "\(method) \(path) does not document status \(status)")
        }
        response = resolve(response)
        guard let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            throw Violation(description: "\(method) \(path) \(status) has no JSON schema")
        }
        let value = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        try check(value, against: schema, at: "$")
    }

    private func resolve(_ node: [String: Any]) -> [String: Any] {
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/") else { return node }
        var current: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            current = (current as? [String: Any])?[String(part)] as Any
        }
        return resolve(current as? [String: Any] ?? [:])
    }

    private func check(_ value: Any, against rawSchema: [String: Any], at path: String) throws {
        let schema = resolve(rawSchema)
        if value is NSNull {
            guard schema["nullable"] as? Bool == true else { throw Violation(description: "\(path): null is not allowed") }
            return
        }
        if let allowed = schema["enum"] as? [String] {
            guard let text = value as? String, allowed.contains(text) else {
                throw Violation(description: "\(path): \(value) is not one of \(allowed)")
            }
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { throw Violation(description: "\(path): expected an object") }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                throw Violation(description: "\(path).\(key): required but missing")
            }
            for (key, child) in object {
                // A map ("additionalProperties": {schema}) checks every value against that schema.
                guard let childSchema = properties[key] ?? schema["additionalProperties"] as? [String: Any] else {
                    throw Violation(description: "\(path).\(key): not described in the document")
                }
                try check(child, against: childSchema, at: "\(path).\(key)")
            }
        case "array":
            guard let array = value as? [Any] else { throw Violation(description: "\(path): expected an array") }
            let items = schema["items"] as? [String: Any] ?? [:]
            for (index, item) in array.enumerated() { try check(item, against: items, at: "\(path)[\(index)]") }
        case "string":
            guard value is String else { throw Violation(description: "\(path): expected a string, got \(value)") }
        case "integer":
            guard let number = value as? NSNumber, !isBoolean(number), number.doubleValue.rounded() == number.doubleValue else {
                throw Violation(description: "\(path): expected an integer, got \(value)")
            }
        case "boolean":
            guard let number = value as? NSNumber, isBoolean(number) else {
                throw Violation(description: "\(path): expected a boolean, got \(value)")
            }
        default:
            break
        }
    }
}

/// JSONSerialization gives NSNumber for numbers and booleans alike; a boolean's type code is "c".
private func isBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}
