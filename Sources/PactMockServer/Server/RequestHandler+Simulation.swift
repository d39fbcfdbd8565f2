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
        simulationTimers.append(context.eventLoop.scheduleTask(in: TimeAmount(plan.wait)) {
            let (handler, context) = bound.value
            handler.perform(prepared, plan: plan, keepAlive: keepAlive, isHead: isHead, context: context)
        })
    }

    private func perform(_ prepared: PreparedResponse, plan: ResponsePlan, keepAlive: Bool, isHead: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if let fault = plan.fault {
            var random = plan.random
            inject(fault, status: prepared.status, random: &random, context: context)
        } else if let chunks = plan.chunks, let body = prepared.body, !isHead, body.readableBytes > 0 {
            dribble(prepared, body: body, pieces: chunks.count, over: chunks.over, keepAlive: keepAlive, context: context)
        } else {
            send(prepared, keepAlive: keepAlive, isHead: isHead, context: context)
            finishResponding(context: context)
        }
    }

    /// Writes the head at once, then the body in pieces at even intervals, the last at the end of the duration.
    private func dribble(_ prepared: PreparedResponse, body: ByteBuffer, pieces: Int, over duration: Duration, keepAlive: Bool, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(prepared.head(keepAlive: keepAlive, announceKeepAlive: answersHTTP10KeepAlive)), promise: nil)
        // Exactly `count` pieces: the first `extra` of them one byte longer, so the sizes differ by at most one.
        let count = max(1, min(pieces, body.readableBytes))
        let (size, extra) = body.readableBytes.quotientAndRemainder(dividingBy: count)
        let step = TimeAmount(duration).nanoseconds / Int64(count)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        var start = 0
        for index in 0..<count {
            let length = size + (index < extra ? 1 : 0)
            guard let piece = body.getSlice(at: body.readerIndex + start, length: length) else { break }
            start += length
            let isLast = index == count - 1
            simulationTimers.append(context.eventLoop.scheduleTask(in: .nanoseconds(step * Int64(index + 1))) {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                if isLast && !keepAlive {
                    handler.sendRawAndClose(piece, context: context)
                } else {
                    context.writeAndFlush(handler.wrapOutboundOut(piece), promise: nil)
                    if isLast { handler.finishResponding(context: context) }
                }
            })
        }
    }

    /// Breaks the exchange the way a failing server or network does.
    private func inject(_ fault: FaultKind, status: HTTPResponseStatus, random: inout SeededRandom, context: ChannelHandlerContext) {
        closing = true
        switch fault {
        case .connectionReset:
            // SO_LINGER with a zero timeout makes close send a TCP RST instead of a FIN.
            if let socket = context.channel as? any SocketOptionProvider {
                let channel = context.channel
                socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        case .emptyResponse:
            context.close(promise: nil)
        case .malformedChunk:
            let text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{\"truncated\r\n"
            sendRawAndClose(ByteBuffer(string: text), context: context)
        case .randomData:
            let count = 16 + Int(random.next() % 497)
            sendRawAndClose(ByteBuffer(bytes: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }), context: context)
        case .status:
            // Error statuses are built by the mock server as ordinary responses; nothing reaches here.
            context.close(promise: nil)
        }
    }
}
