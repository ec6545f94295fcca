# Notifications (status APPROVED / REFUSED) and notified records (status
# NOTIFIED) in the envelope's shape and words.
({APPROVED: "Aprovado", REFUSED: "Recusado", NOTIFIED: "Notificado"}[.status] // .status) as $s
| {mensagem: "Pedido \(.order_id): \($s)", id: .order_id, status: $s, payload: .}
