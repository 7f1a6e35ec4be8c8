import Vapor

/// Every route of the app, pages first, then the API. Handlers live in Controllers/.
func routes(_ app: Application) throws {
    app.get(use: DivisionController.home)
    app.get("divisions", use: DivisionController.index)
    app.get("divisions", ":code", use: DivisionController.show)
    app.post("divisions", ":code", "attributes", use: DivisionController.updateAttributes)
    app.post("divisions", ":code", "zones", use: DivisionController.addZone)
    app.post("divisions", ":code", "move", use: DivisionController.move)

    app.get("healthz", use: SystemController.health)
    app.get("metrics", use: TaizhangMetrics.render)
    app.get("api", "openapi.json", use: SystemController.openAPI)

    let api = app.grouped("api", "v1")
    api.get("divisions", use: DivisionAPIController.list)
    api.get("divisions", ":code", use: DivisionAPIController.show)
    api.patch("divisions", ":code", use: DivisionAPIController.update)
    api.post("divisions", ":code", "move", use: DivisionAPIController.move)
    api.post("management-zones", use: DivisionAPIController.createZone)
}
