# The envelope intake: each record wraps the order, as a JSON *string*, in
# .dados, beside its own mensagem/payload/id/status.  Its order has an
# integer id, usuario and produto, and no quantity.
.dados | fromjson
| {order_id: ("pedido-" + (.id | tostring)), user_id: .usuario, item: .produto,
   quantity: (.quantidade // 1)}
