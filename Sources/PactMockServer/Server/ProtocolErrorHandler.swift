import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser rejects: 431 for oversized headers, 400 for anything malformed, then closes.
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseInProgress {
            let (status, message): (HTTPResponseStatus, String) = parserError == .headerOverflow
                ? (.requestHeaderFieldsTooLarge, "the request headers are too large")
                : (.badRequest, "the request is not valid HTTP/1.1 (\(parserError))")
            let body = #"{"error":"\#(message)"}"#
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            let headers = HTTPHeaders([("Connection", "close"), ("Content-Type", "application/json"), ("Content-Length", "\(buffer.readableBytes)")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where !head.isInformational: responseInProgress = true
        case .end: responseInProgress = false
        default: break
        }
        context.write(data, promise: promise)
    }
}

extension HTTPResponseHead {
    fileprivate var isInformational: Bool { status.code >= 100 && status.code < 200 }
}
