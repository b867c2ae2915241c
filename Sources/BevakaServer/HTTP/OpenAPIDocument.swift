import Hummingbird

/// The API's contract, OpenAPI 3.1, served at `/openapi.json`.
/// `OpenAPITests` keeps its paths equal to the router's routes.
enum OpenAPIDocument {
    static let text = #"""
    {"openapi": "3.1.0", "info": {"title": "Bevaka", "version": "1"}, "paths": {}}
    """#

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
