import Foundation
import NIOCore
import NIOHTTP1

extension RequestHandler {
    /// Delivers a response the way its plan says: after the wait (a timer on the event loop, so other connections go
    /// on), with the body dribbled in pieces, or replaced by a fault.
    func deliver(_ prepared: PreparedResponse, plan: ResponsePlan, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        guard plan.wait > .zero else {
            perform(prepared, plan: plan, keepAlive: keepAlive, isHead: isHead, context: context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: TimeAmount(plan.wait)) {
            let (handler, context) = bound.value
            handler.perform(prepared, plan: plan, keepAlive: keepAlive, isHead: isHead, context: context)
        }
    }

    private func perform(_ prepared: PreparedResponse, plan: ResponsePlan, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if let fault = plan.fault {
            var random = plan.random
            inject(fault, status: prepared.head.status, random: &random, context: context)
        } else if let chunks = plan.chunks, let body = prepared.body, !isHead, body.readableBytes > 0 {
            dribble(prepared.head, body: body, pieces: chunks.count, over: chunks.over, keepAlive: keepAlive, context: context)
        } else {
            write(prepared, keepAlive: keepAlive, isHead: isHead, context: context)
        }
    }

    /// Writes the head at once, then the body in pieces at even intervals, the last at the end of the duration.
    private func dribble(_ head: HTTPResponseHead, body: ByteBuffer, pieces: Int, over duration: Duration, keepAlive: Bool, context: ChannelHandlerContext) {
        var head = head
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        let count = max(1, min(pieces, body.readableBytes))
        let size = (body.readableBytes + count - 1) / count
        let step = TimeAmount(duration).nanoseconds / Int64(count)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        for index in 0..<count {
            let start = index * size
            guard start < body.readableBytes, let piece = body.getSlice(at: body.readerIndex + start, length: min(size, body.readableBytes - start)) else { break }
            let isLast = start + size >= body.readableBytes
            context.eventLoop.scheduleTask(in: .nanoseconds(step * Int64(index + 1))) {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(piece))), promise: nil)
                if isLast {
                    let closing: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: closing)
                    closing?.futureResult.whenComplete { _ in context.close(promise: nil) }
                } else {
                    context.flush()
                }
            }
        }
    }

    /// Breaks the exchange the way a failing server or network does.
    private func inject(_ fault: FaultKind, status: HTTPResponseStatus, random: inout SeededRandom, context: ChannelHandlerContext) {
        switch fault {
        case .connectionReset:
            // SO_LINGER with a zero timeout makes close send a TCP RST instead of a FIN.
            if let socket = context.channel as? any SocketOptionProvider {
                socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        case .emptyResponse:
            context.close(promise: nil)
        case .malformedChunk:
            let text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{\"truncated\r\n"
            writeRaw(Array(text.utf8), context: context)
        case .randomData:
            let count = 16 + Int(random.next() % 497)
            writeRaw((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }, context: context)
        case .status:
            // Error statuses are built by the mock server as ordinary responses; nothing reaches here.
            context.close(promise: nil)
        }
    }

    /// Writes bytes below the HTTP encoder (so they go out exactly as given, through TLS when it is on), then closes.
    private func writeRaw(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.close(promise: nil)
            return
        }
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        encoder.writeAndFlush(NIOAny(IOData.byteBuffer(buffer))).whenComplete { _ in context.close(promise: nil) }
    }
}
