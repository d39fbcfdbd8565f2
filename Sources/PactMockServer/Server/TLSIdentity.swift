import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The certificate and key a mock server presents over HTTPS.
public struct TLSIdentity: Sendable {
    /// The certificate chain in PEM form.
    public let certificatePEM: String
    /// The private key in PEM form.
    public let privateKeyPEM: String

    /// Creates an identity from PEM text.
    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// A new self-signed certificate for `localhost` and 127.0.0.1, valid for 30 days, with a P-256 key made in memory.
    public static func selfSigned(commonName: String = "pactctl mock server") throws(MockServerError) -> TLSIdentity {
        do {
            let key = P256.Signing.PrivateKey()
            let privateKey = Certificate.PrivateKey(key)
            let name = try DistinguishedName { CommonName(commonName) }
            let now = Date()
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: privateKey.publicKey,
                notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(30 * 24 * 3600),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                },
                issuerPrivateKey: privateKey
            )
            return TLSIdentity(certificatePEM: try certificate.serializeAsPEM().pemString,
                               privateKeyPEM: try privateKey.serializeAsPEM().pemString)
        } catch {
            throw .tlsFailed(reason: "the self-signed certificate could not be made (\(error))")
        }
    }

    /// Reads a certificate chain and a private key from PEM files.
    public static func load(certificateFile: String, keyFile: String) throws(MockServerError) -> TLSIdentity {
        guard let certificate = try? String(contentsOfFile: certificateFile, encoding: .utf8) else {
            throw .tlsFailed(reason: "the certificate file \(certificateFile) could not be read")
        }
        guard let key = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
            throw .tlsFailed(reason: "the key file \(keyFile) could not be read")
        }
        let identity = TLSIdentity(certificatePEM: certificate, privateKeyPEM: key)
        _ = try identity.makeContext()
        return identity
    }

    /// The TLS context for a server.
    func makeContext() throws(MockServerError) -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsFailed(reason: "the certificate or key is not usable (\(error)); give PEM files that belong together")
        }
    }
}
