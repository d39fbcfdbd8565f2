import Foundation
import NIOCore
import NIOHTTP1
import PactModel

/// Collects one request, enforces the size limits, calls the responder and writes its response.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: HTTPLimits
    private let responder: HTTPResponder
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var rejected = false

    init(limits: HTTPLimits, responder: HTTPResponder) {
        self.limits = limits
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            rejected = false
            let headerBytes = requestHead.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            if headerBytes > limits.maxHeaderBytes {
                reject(context: context, status: .requestHeaderFieldsTooLarge, message: "the request headers are \(headerBytes) bytes; the limit is \(limits.maxHeaderBytes)")
            } else if let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context, status: .payloadTooLarge, message: "the request body is \(length) bytes; the limit is \(limits.maxBodyBytes)")
            }
        case .body(var chunk):
            guard !rejected else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > limits.maxBodyBytes {
                reject(context: context, status: .payloadTooLarge, message: "the request body is larger than the limit of \(limits.maxBodyBytes) bytes")
                return
            }
            if body == nil { body = chunk } else { body?.writeBuffer(&chunk) }
        case .end:
            guard !rejected, let requestHead = head else { return }
            let request = RequestHandler.makeRequest(requestHead, body: body)
            head = nil
            body = nil
            let keepAlive = requestHead.isKeepAlive
            let isHead = requestHead.method == .HEAD
            switch responder {
            case .immediate(let respond):
                switch respond(request) {
                case .model(let response): write(response, keepAlive: keepAlive, isHead: isHead, context: context)
                case .prepared(let prepared): write(prepared, keepAlive: keepAlive, isHead: isHead, context: context)
                case .planned(let prepared, let plan): deliver(prepared, plan: plan, keepAlive: keepAlive, isHead: isHead, context: context)
                }
            case .deferred(let respond):
                let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
                promise.completeWithTask { await respond(request) }
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                promise.futureResult.whenSuccess { response in
                    let (handler, context) = bound.value
                    handler.write(response, keepAlive: keepAlive, isHead: isHead, context: context)
                }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func reject(context: ChannelHandlerContext, status: HTTPResponseStatus, message: String) {
        rejected = true
        let response = HTTPResponse(status: Int(status.code), headers: ["Content-Type": "application/json"],
                                    body: Body(json: ["error": .string(message)]))
        write(response, keepAlive: false, isHead: false, context: context)
    }

    private func write(_ response: HTTPResponse, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        write(PreparedResponse(response), keepAlive: keepAlive, isHead: isHead, context: context)
    }

    func write(_ prepared: PreparedResponse, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        var head = prepared.head
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = prepared.body, !isHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let promise: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        if let promise {
            promise.futureResult.whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Turns a NIO request into the model's request: decoded path, parsed and raw query, headers and body.
    static func makeRequest(_ head: HTTPRequestHead, body: ByteBuffer?) -> HTTPRequest {
        let uri = head.uri
        let pathPart: Substring
        var rawQuery: String?
        if let question = uri.firstIndex(of: "?") {
            pathPart = uri[..<question]
            rawQuery = String(uri[uri.index(after: question)...])
        } else {
            pathPart = Substring(uri)
        }
        let path = pathPart.utf8.contains(UInt8(ascii: "%")) ? (String(pathPart).removingPercentEncoding ?? String(pathPart)) : String(pathPart)
        var headers = PactModel.HTTPHeaders()
        for header in head.headers { headers.add(header.name, header.value) }
        var requestBody = Body.missing
        if let body, body.readableBytes > 0 {
            let contentType = headers.first("Content-Type").flatMap(ContentType.init)
            requestBody = Body(bytes: Array(body.readableBytesView), contentType: contentType)
        }
        return HTTPRequest(method: head.method.rawValue, path: path.isEmpty ? "/" : path,
                           query: rawQuery.map(QueryParameters.init(parsing:)) ?? QueryParameters(), rawQuery: rawQuery,
                           headers: headers, body: requestBody)
    }
}
