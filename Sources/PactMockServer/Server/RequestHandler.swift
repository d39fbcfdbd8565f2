import Foundation
import NIOCore
import NIOHTTP1
import PactModel

/// One HTTP/1.1 connection, after NIO's parser: collects each request, enforces the size limits, calls the responder
/// and writes its response, encoded here (see `PreparedResponse`).
///
/// Responses go out in the order of the requests. A response produced later (by a task, or after a simulated delay)
/// holds back the requests pipelined behind it, and reading stops until it is written. The connection is closed when
/// nothing has been read for the idle timeout and no response is pending, and a request the parser rejects gets a
/// 400 (431 for oversized headers) before the connection closes.
final class RequestHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: HTTPLimits
    private let responder: HTTPResponder
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var rejected = false
    /// A response is on its way from a task or a timer; what arrives meanwhile waits in `waiting`.
    private var responding = false
    private var waiting = CircularBuffer<Waiting>()
    /// The waiting requests are being answered; a response finished meanwhile lets that loop go on.
    private var draining = false
    /// A read was asked for while responding; it is passed on once the response is written.
    private var readHeldBack = false
    /// The connection ends after the response being written; nothing more is answered.
    var closing = false
    /// The client closed its sending side: the connection ends once what it asked has been answered.
    private var inputClosed = false
    /// Responses written during this read, flushed together when it completes.
    private var unflushed = false
    /// The request being answered is HTTP/1.0 with `Connection: keep-alive`, which its response must confirm.
    var answersHTTP10KeepAlive = false
    private var lastRead = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    /// The timers of a simulated response (its delay, the pieces of a dribbled body); cancelled if the client leaves,
    /// so a delay of minutes does not keep a closed connection's handler alive.
    var simulationTimers: [Scheduled<Void>] = []

    /// What arrived while a response was pending: part of a request, or a parse error after the requests before it.
    private enum Waiting {
        case part(HTTPServerRequestPart)
        case parseError(HTTPParserError)
    }

    init(limits: HTTPLimits, responder: HTTPResponder) {
        self.limits = limits
        self.responder = responder
    }

    // MARK: Connection life

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleIdleCheck(context: context, at: .now() + TimeAmount(limits.idleTimeout)) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if idleCheck == nil { scheduleIdleCheck(context: context, at: .now() + TimeAmount(limits.idleTimeout)) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
        for timer in simulationTimers { timer.cancel() }
        simulationTimers.removeAll()
        waiting.removeAll()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.checkIdle(context: context)
        }
    }

    /// Closes a connection that has read nothing for the idle timeout, unless it is waiting for its own response.
    private func checkIdle(context: ChannelHandlerContext) {
        let timeout = TimeAmount(limits.idleTimeout)
        let due = lastRead + timeout
        if responding {
            scheduleIdleCheck(context: context, at: .now() + timeout)
        } else if due <= .now() {
            idleCheck = nil
            context.close(promise: nil)
        } else {
            scheduleIdleCheck(context: context, at: due)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        // The requests before the bad bytes are answered first; once closing, the close already planned stands.
        if closing { return }
        if responding {
            waiting.append(.parseError(parserError))
            return
        }
        answer(parserError, context: context)
    }

    private func answer(_ parserError: HTTPParserError, context: ChannelHandlerContext) {
        let (status, message): (HTTPResponseStatus, String) = parserError == .headerOverflow
            ? (.requestHeaderFieldsTooLarge, "the request headers are too large")
            : (.badRequest, "the request is not valid HTTP/1.1 (\(parserError))")
        rejected = true
        send(RequestHandler.errorResponse(status, message), keepAlive: false, isHead: false, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, event == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        if !responding { closeWhenWritten(context: context) }
    }

    /// Closes the connection once everything written so far has gone out.
    private func closeWhenWritten(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        unflushed = false
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if closing { return }
        if responding {
            waiting.append(.part(part))
            return
        }
        handle(part, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastRead = .now()
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if responding {
            readHeldBack = true
        } else {
            context.read()
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let requestHead):
            head = requestHead
            body = nil
            rejected = false
            let headerBytes = requestHead.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            if headerBytes > limits.maxHeaderBytes {
                reject(context: context, status: .requestHeaderFieldsTooLarge, message: "the request headers are \(headerBytes) bytes; the limit is \(limits.maxHeaderBytes)")
            } else if let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context, status: .payloadTooLarge, message: "the request body is \(length) bytes; the limit is \(limits.maxBodyBytes)")
            } else if requestHead.version.major == 1, requestHead.version.minor >= 1,
                      requestHead.headers.first(name: "Expect")?.lowercased() == "100-continue" {
                // The client waits for this before it sends the body (curl does, for bodies over 1 KB).
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
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
            answersHTTP10KeepAlive = requestHead.version == .http1_0 && requestHead.isKeepAlive
            respond(to: request, keepAlive: requestHead.isKeepAlive, isHead: requestHead.method == .HEAD, context: context)
        }
    }

    private func respond(to request: HTTPRequest, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        switch responder {
        case .immediate(let respond):
            switch respond(request) {
            case .model(let response):
                send(PreparedResponse(response), keepAlive: keepAlive, isHead: isHead, context: context, flushNow: false)
            case .prepared(let prepared):
                send(prepared, keepAlive: keepAlive, isHead: isHead, context: context, flushNow: false)
            case .planned(let prepared, let plan):
                responding = true
                deliver(prepared, plan: plan, keepAlive: keepAlive, isHead: isHead, context: context)
            }
        case .deferred(let respond):
            responding = true
            let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
            promise.completeWithTask { await respond(request) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { response in
                let (handler, context) = bound.value
                handler.send(PreparedResponse(response), keepAlive: keepAlive, isHead: isHead, context: context)
                handler.finishResponding(context: context)
            }
        }
    }

    /// Called when a response that was produced later has been written: answers the requests that waited for it.
    func finishResponding(context: ChannelHandlerContext) {
        responding = false
        simulationTimers.removeAll()
        // The connection was busy, not idle, while the response was pending.
        lastRead = .now()
        guard !draining else { return }
        draining = true
        while !responding, !closing, let next = waiting.popFirst() {
            switch next {
            case .part(let part): handle(part, context: context)
            case .parseError(let error): answer(error, context: context)
            }
        }
        draining = false
        if inputClosed && !responding { closeWhenWritten(context: context) }
        if unflushed {
            unflushed = false
            context.flush()
        }
        if !responding, readHeldBack {
            readHeldBack = false
            context.read()
        }
    }

    // MARK: Writing

    private func reject(context: ChannelHandlerContext, status: HTTPResponseStatus, message: String) {
        rejected = true
        send(RequestHandler.errorResponse(status, message), keepAlive: false, isHead: false, context: context)
    }

    static func errorResponse(_ status: HTTPResponseStatus, _ message: String) -> PreparedResponse {
        PreparedResponse(HTTPResponse(status: Int(status.code), headers: ["Content-Type": "application/json"],
                                      body: Body(json: ["error": .string(message)])))
    }

    /// Writes a response; a connection that ends after it is closed once it is sent. Responses written while reading
    /// are flushed when the read completes, so pipelined requests are answered in one system call.
    func send(_ prepared: PreparedResponse, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext, flushNow: Bool = true) {
        let bytes = prepared.encoded(keepAlive: keepAlive, isHead: isHead, announceKeepAlive: answersHTTP10KeepAlive)
        guard keepAlive else {
            closing = true
            unflushed = false
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if flushNow {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        } else {
            context.write(wrapOutboundOut(bytes), promise: nil)
            unflushed = true
        }
    }

    /// Writes bytes exactly as given (through TLS when it is on), then closes the connection.
    func sendRawAndClose(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        closing = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
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
