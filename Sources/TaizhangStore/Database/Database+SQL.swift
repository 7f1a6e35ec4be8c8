import FluentKit
import SQLKit

extension Database {
    /// The SQLKit view of this database. Both drivers implement it.
    public var sql: any SQLDatabase { self as! any SQLDatabase }

    public var isSQLite: Bool { sql.dialect.name == "sqlite" }
}
