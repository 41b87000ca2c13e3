package io.conclave.gateway.reply;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An HTTP reply worked out from a result: its status and JSON body, before headers are added. */
public record Reply(int status, ObjectNode body) {
}
