# What the envelope's consumers read on orders.valid / orders.refused: a
# mensagem, their own status words, and ordertop's decision as the payload.
(if .status == "APPROVED" then "Aprovado" else "Recusado" end) as $s
| {mensagem: "Pedido \(.order_id): \($s)", id: .order_id, status: $s, payload: .}
