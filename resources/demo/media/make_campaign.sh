#!/bin/sh
# Regenerates resources/demo/media/campaign.mp4 and campaign-poster.png (run from resources/demo/media/).
set -e

# Scene 1 (0-5 s): dawn, the sun rises over hills.
S1R='st(0,hypot(X-640,Y-600+40*T));st(1,Y/500);st(2,T/5.5);if(gt(Y,500+18*sin(X/170)),24+20*ld(2),st(3,clip((80-ld(0))/2,0,1));ld(3)*255+(1-ld(3))*clip(30+190*pow(ld(1),1.6)+30*ld(2)+140*exp(-ld(0)/140),0,255))'
S1G='st(0,hypot(X-640,Y-600+40*T));st(1,Y/500);st(2,T/5.5);if(gt(Y,500+18*sin(X/170)),70+30*ld(2),st(3,clip((80-ld(0))/2,0,1));ld(3)*214+(1-ld(3))*clip(40+100*pow(ld(1),1.6)+25*ld(2)+90*exp(-ld(0)/140),0,255))'
S1B='st(0,hypot(X-640,Y-600+40*T));st(1,Y/500);st(2,T/5.5);if(gt(Y,500+18*sin(X/170)),48+15*ld(2),st(3,clip((80-ld(0))/2,0,1));ld(3)*120+(1-ld(3))*clip(95+10*ld(1)+20*ld(2)+30*exp(-ld(0)/140),0,255))'

# Scene 2 (5-10 s): midday, a row of solar panels on a flat roof, light glides over them.
# ld(0)=distance to sun, ld(1)=panel coordinate u, ld(2)=position inside a panel, ld(4)=1 inside a panel, ld(5)=1 on a cell line
S2P='st(0,hypot(X-1050,Y-140));st(1,X-90-(580-Y)*0.45);st(2,mod(ld(1),224));st(4,between(Y,400,580)*between(ld(1),0,1095)*lt(ld(2),200));st(5,gt(lt(mod(ld(2),50),3)+gt(ld(2),197)+lt(mod(Y-400,45),3)+gt(Y,577),0));st(6,exp(-pow((ld(2)-(Y-400)*0.5-45*T+40)/35,2)));st(7,between(Y,580,608)*between(X-90,0,1095)*lt(mod(X-90,224),200));st(8,clip((60-ld(0))/2,0,1))'
S2R="$S2P;"'if(ld(4),if(ld(5),150,22+60*ld(6)),if(gt(Y,560),(200-40*(Y-560)/160)*(1-0.25*ld(7)),ld(8)*255+(1-ld(8))*clip(70+115*Y/560+100*exp(-ld(0)/120),0,255)))'
S2G="$S2P;"'if(ld(4),if(ld(5),170,48+70*ld(6)),if(gt(Y,560),(204-40*(Y-560)/160)*(1-0.25*ld(7)),ld(8)*222+(1-ld(8))*clip(150+70*Y/560+80*exp(-ld(0)/120),0,255)))'
S2B="$S2P;"'if(ld(4),if(ld(5),200,96+80*ld(6)),if(gt(Y,560),(208-40*(Y-560)/160)*(1-0.25*ld(7)),ld(8)*140+(1-ld(8))*clip(220+20*Y/560+20*exp(-ld(0)/120),0,255)))'

# Scene 3 (10-15 s): the panels feed a cable, pulses of energy run into the building, its windows light up.
# ld(0)=distance to sun, ld(1)=panel u, ld(2)=1 inside panel, ld(3)=1 panel line, ld(4)=1 on cable, ld(5)=1 pulse,
# ld(6)=1 building wall, ld(7)=1 window, ld(8)=1 window lit, ld(9)=1 roof slab
S3P='st(0,hypot(X-200,Y-140));st(1,X-120-(600-Y)*0.45);st(2,between(Y,470,600)*between(ld(1),0,300));st(3,gt(lt(mod(ld(1),60),3)+gt(ld(1),297)+lt(mod(Y-470,43),3)+gt(Y,597),0));st(4,between(Y,557,565)*between(X,430,780));st(5,lt(mod(X-150*T,90),24));st(6,between(X,780,1140)*between(Y,250,600));st(7,between(mod(X-780,72),14,58)*between(mod(Y-250,58),12,44)*lt(X,1140)*lt(Y,598));st(8,lt((5-floor((Y-250)/58))*5+floor((X-780)/72),(T-10.5)*7));st(9,between(X,765,1155)*between(Y,234,250))'
S3R="$S3P;"'if(gt(Y,600),60+0*Y,if(ld(2),if(ld(3),150,22),if(ld(4),if(ld(5),255,27),if(ld(9),40,if(ld(6),if(ld(7),if(ld(8),255,120),60),if(lt(ld(0),50),255,clip(210+30*Y/600+120*exp(-ld(0)/110),0,255)))))))'
S3G="$S3P;"'if(gt(Y,600),150-40*(Y-600)/120,if(ld(2),if(ld(3),170,48),if(ld(4),if(ld(5),200,127),if(ld(9),60,if(ld(6),if(ld(7),if(ld(8),214,145),86),if(lt(ld(0),50),205,clip(235+13*Y/600+80*exp(-ld(0)/110),0,255)))))))'
S3B="$S3P;"'if(gt(Y,600),90-30*(Y-600)/120,if(ld(2),if(ld(3),200,96),if(ld(4),if(ld(5),60,76),if(ld(9),80,if(ld(6),if(ld(7),if(ld(8),110,165),110),if(lt(ld(0),50),90,clip(245-3*Y/600+10*exp(-ld(0)/110),0,255)))))))'

# Scene 4 (15-20 s): a green leaf on a deep green background, slowly growing.
# ld(0)=u (along the leaf), ld(1)=v (across), ld(2)=1 inside leaf, ld(3)=1 on midrib/stem, ld(4)=1 on a vein, ld(5)=background mix
S4P='st(9,1+0.02*(T-15));st(0,((X-640)-(Y-360))*0.7071/ld(9));st(1,((X-640)+(Y-360))*0.7071/ld(9));st(2,lt(hypot(ld(0),ld(1)-150),260)*lt(hypot(ld(0),ld(1)+150),260));st(3,lt(abs(ld(1)),4)*between(ld(0),-265,200));st(4,ld(2)*lt(abs(mod(ld(0)+1.2*abs(ld(1)),70)-35),2.5)*gt(abs(ld(1)),8)*lt(abs(ld(1)),95));st(5,clip(hypot(X-640,Y-360)/735,0,1))'
S4R="$S4P;"'if(ld(3),27,if(ld(4),110,if(ld(2),235,40-26*ld(5))))'
S4G="$S4P;"'if(ld(3),127,if(ld(4),180,if(ld(2),248,150-60*ld(5))))'
S4B="$S4P;"'if(ld(3),76,if(ld(4),130,if(ld(2),238,90-35*ld(5))))'

ffmpeg -y -hide_banner -filter_complex "
color=c=black:s=1280x720:r=25:d=5.5,format=gbrp,geq=r='$S1R':g='$S1G':b='$S1B'[s1];
color=c=black:s=1280x720:r=25:d=5.5,format=gbrp,geq=r='$S2R':g='$S2G':b='$S2B'[s2];
color=c=black:s=1280x720:r=25:d=5.5,format=gbrp,setpts=PTS+10/TB,geq=r='$S3R':g='$S3G':b='$S3B',setpts=PTS-STARTPTS[s3];
color=c=black:s=1280x720:r=25:d=5,format=gbrp,setpts=PTS+15/TB,geq=r='$S4R':g='$S4G':b='$S4B',setpts=PTS-STARTPTS[s4];
[s1][s2]xfade=transition=fade:duration=0.5:offset=5[a];
[a][s3]xfade=transition=fade:duration=0.5:offset=10[b];
[b][s4]xfade=transition=fade:duration=0.5:offset=15,fade=t=in:st=0:d=0.8,fade=t=out:st=19.2:d=0.8,format=yuv420p[v]" \
  -map "[v]" -c:v libx264 -preset slow -crf 22 -profile:v high -pix_fmt yuv420p -r 25 \
  -movflags +faststart -an -metadata title="Green Kiosk demo campaign" campaign.mp4

ffmpeg -y -hide_banner -ss 7.5 -i campaign.mp4 -frames:v 1 -update 1 campaign-poster.png
